//===--- OptimEvalWithoutNoGradCheck.h - torch-optim-eval-without-no-grad ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMEVALWITHOUTNOGRADCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMEVALWITHOUTNOGRADCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds evaluation loops and functions that run forward passes while recording gradients, with no 'NoGradGuard' or 'InferenceMode' in scope.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-eval-without-no-grad.md
class OptimEvalWithoutNoGradCheck : public TrainlintCheck {
public:
  OptimEvalWithoutNoGradCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMEVALWITHOUTNOGRADCHECK_H
