//===--- SyncCreateThenMoveCheck.h - torch-sync-create-then-move ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_SYNCCREATETHENMOVECHECK_H
#define TRAINLINT_CHECKS_TORCH_SYNCCREATETHENMOVECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds tensors created on the host by a factory and immediately moved to a device.
///
/// For the user-facing documentation see:
/// docs/checks/torch-sync-create-then-move.md
class SyncCreateThenMoveCheck : public TrainlintCheck {
public:
  SyncCreateThenMoveCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_SYNCCREATETHENMOVECHECK_H
