//===--- OptimMissingZeroGradCheck.h - torch-optim-missing-zero-grad ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMMISSINGZEROGRADCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMMISSINGZEROGRADCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds training loops that run backward and an optimizer step but never clear the gradients.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-missing-zero-grad.md
class OptimMissingZeroGradCheck : public TrainlintCheck {
public:
  OptimMissingZeroGradCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMMISSINGZEROGRADCHECK_H
