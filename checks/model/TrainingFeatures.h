//===--- TrainingFeatures.h - what a training loop does besides training -===//
//
// The optimizer features of the ecosystem that a training loop uses or
// lacks: clearing gradients, clipping them, changing the learning rate,
// mixed precision, no-grad scopes, the module's training and evaluation
// modes. Each call or declaration that turns one on yields a Signal
// (ProjectGraph.h); the hot-path model records them with the loop they are
// in, so that a summary carries them across files, and the checks ask the
// model what a loop, with everything it calls, does (HotPathModel::signalsIn)
// or lacks (HotPathModel::lacks).
//
// API names are the ones libtorch 1.13 and 2.x share.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_TRAININGFEATURES_H
#define TRAINLINT_CHECKS_MODEL_TRAININGFEATURES_H

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include <optional>

namespace trainlint {

/// The feature signals of a call: ZeroGradSignal, ClipGradSignal,
/// LearningRateSignal, AutocastSignal, EvalModeSignal and TrainModeSignal
/// (both for `train(flag)`, whose mode is known only at run time),
/// ReducedPrecisionSignal (`half()`, `bfloat16()`), CudnnBenchmarkSignal,
/// ConvolutionSignal (a convolution's forward, `conv->forward(x)`, `conv(x)`).
unsigned trainingFeaturesOf(const clang::CallExpr &Call);

/// The feature signals of a construction: ConvolutionSignal for a
/// convolution module built (`torch::nn::Conv2d(1, 8, 3)`), not one copied,
/// moved or made empty from `nullptr`.
unsigned trainingFeaturesOf(const clang::CXXConstructExpr &Construct);

/// Whether \p Construct makes a guard that turns gradient recording off for
/// its scope: `torch::NoGradGuard`, `c10::InferenceMode` (unless given
/// `false`), `AutoGradMode(false)`.
bool isNoGradGuard(const clang::CXXConstructExpr &Construct);

/// Whether \p Ref names half or bfloat16 precision: `torch::kHalf`,
/// `torch::kBFloat16`, `at::ScalarType::Half`.
bool namesReducedPrecision(const clang::DeclRefExpr &Ref);

/// Whether \p E is the literal `false` (or 0), `true` (or non-zero);
/// nothing for anything else.
std::optional<bool> boolLiteralValue(const clang::Expr *E);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_TRAININGFEATURES_H
