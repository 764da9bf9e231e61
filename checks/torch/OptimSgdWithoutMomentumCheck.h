//===--- OptimSgdWithoutMomentumCheck.h - torch-optim-sgd-without-momentum ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMSGDWITHOUTMOMENTUMCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMSGDWITHOUTMOMENTUMCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds plain SGD without momentum driving a training loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-sgd-without-momentum.md
class OptimSgdWithoutMomentumCheck : public TrainlintCheck {
public:
  OptimSgdWithoutMomentumCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMSGDWITHOUTMOMENTUMCHECK_H
