//===--- OptimNoMixedPrecisionCheck.h - torch-optim-no-mixed-precision ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMNOMIXEDPRECISIONCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMNOMIXEDPRECISIONCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds training loops on CUDA tensors with neither autocast nor a half or bfloat16 model.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-no-mixed-precision.md
class OptimNoMixedPrecisionCheck : public TrainlintCheck {
public:
  OptimNoMixedPrecisionCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMNOMIXEDPRECISIONCHECK_H
