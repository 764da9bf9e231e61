//===--- OptimNoGradClippingCheck.h - torch-optim-no-grad-clipping ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMNOGRADCLIPPINGCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMNOGRADCLIPPINGCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds recurrent and transformer models trained without gradient clipping.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-no-grad-clipping.md
class OptimNoGradClippingCheck : public TrainlintCheck {
public:
  OptimNoGradClippingCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMNOGRADCLIPPINGCHECK_H
