//===--- SyncExplicitCheck.h - torch-sync-explicit ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_SYNCEXPLICITCHECK_H
#define TRAINLINT_CHECKS_TORCH_SYNCEXPLICITCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds explicit device and stream synchronizations inside a hot loop.
///
/// A loop that times itself (see loopTimesItself() in model/Timing.h) must
/// synchronize to measure anything, and is left alone.
///
/// For the user-facing documentation see:
/// docs/checks/torch-sync-explicit.md
class SyncExplicitCheck : public TrainlintCheck {
public:
  SyncExplicitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_SYNCEXPLICITCHECK_H
