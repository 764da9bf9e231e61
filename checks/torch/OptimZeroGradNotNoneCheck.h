//===--- OptimZeroGradNotNoneCheck.h - torch-optim-zero-grad-not-none ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMZEROGRADNOTNONECHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMZEROGRADNOTNONECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds 'zero_grad' calls that fill every gradient with zeros where setting them to none lets the next backward write them fresh.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-zero-grad-not-none.md
class OptimZeroGradNotNoneCheck : public TrainlintCheck {
public:
  OptimZeroGradNotNoneCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMZEROGRADNOTNONECHECK_H
