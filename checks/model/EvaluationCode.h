//===--- EvaluationCode.h - where a program evaluates its model -*- C++ -*-===//
//
// Evaluation runs the model forward with no backward: over a test loader
// after each epoch, in a `validate()` function, in an inference loop. The
// checks that ask whether it runs with gradient recording off
// (torch-optim-eval-without-no-grad) and in evaluation mode
// (torch-optim-train-eval-mode) find it with these helpers, on top of the
// hot-path model's loop kinds.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_EVALUATIONCODE_H
#define TRAINLINT_CHECKS_MODEL_EVALUATIONCODE_H

#include "HotPath.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallVector.h"

namespace trainlint {

/// Whether \p Name has a word, case-insensitively, that names evaluation:
/// eval, evaluate, evaluation, val, validate, validation, test, testing,
/// infer, inference, predict, prediction. Words are split at underscores,
/// digits and case changes: `run_validation`, `testEpoch`, `evalModel`,
/// but not `latest` or `contest`.
bool namedLikeEvaluation(llvm::StringRef Name);

/// The outermost loops of kind \p Kind (LoopKind::Evaluation or
/// LoopKind::Training) of \p Function's body in source order: not nested in
/// an evaluation or training loop (a forward pass inside a training step is
/// part of that step).
llvm::SmallVector<const clang::Stmt *, 2>
outermostLoops(const clang::FunctionDecl &Function, const HotPathModel &Model,
               LoopKind Kind);

/// Whether a guard that turns gradient recording off (isNoGradGuard) is
/// declared, in a block around \p S of its function, before \p S.
bool noGradGuardInScope(const clang::Stmt &S, const HotPathModel &Model);

/// Whether \p Body asks for gradients of the inputs: `x.requires_grad_()`,
/// `x.set_requires_grad(true)`, tensor options with `requires_grad(true)`.
/// A forward pass over such inputs is there for its gradients (saliency
/// maps, adversarial examples).
bool asksForInputGradients(const clang::Stmt &Body);

/// Whether a module of class \p Module (a ModuleHolder, its Impl, or a
/// user's module) may compute differently in training and evaluation mode:
/// dropout, batch or instance normalization, recurrent and transformer
/// layers (their dropout), containers whose contents only the run knows,
/// and user modules that hold any of these or whose definition is not at
/// hand. False for layers that ignore the mode (Linear, Conv, ReLU...) and
/// user modules made only of them. With \p Why, the first member or layer
/// that decides it.
bool mayBehaveDifferentlyInTraining(const clang::CXXRecordDecl *Module,
                                    std::string *Why = nullptr);

/// The module that \p Call runs forward, `model->forward(x)`, `model(x)`,
/// `model.forward(x)`: the class of its object, or null for any other call.
const clang::CXXRecordDecl *forwardedModule(const clang::CallExpr &Call);

/// The calls in \p S (a loop) that run a module forward, written there
/// rather than in a function it calls.
llvm::SmallVector<const clang::CallExpr *, 2>
forwardCallsIn(const clang::Stmt &S);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_EVALUATIONCODE_H
