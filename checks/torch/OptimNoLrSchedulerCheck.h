//===--- OptimNoLrSchedulerCheck.h - torch-optim-no-lr-scheduler ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMNOLRSCHEDULERCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMNOLRSCHEDULERCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds epoch loops that train with a constant learning rate: no scheduler and no update of the optimizer's learning rate.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-no-lr-scheduler.md
class OptimNoLrSchedulerCheck : public TrainlintCheck {
public:
  OptimNoLrSchedulerCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMNOLRSCHEDULERCHECK_H
