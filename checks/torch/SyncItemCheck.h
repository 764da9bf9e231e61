//===--- SyncItemCheck.h - torch-sync-item ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_SYNCITEMCHECK_H
#define TRAINLINT_CHECKS_TORCH_SYNCITEMCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds 'item()' calls and other reads of a tensor's value into a host scalar inside a hot loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-sync-item.md
class SyncItemCheck : public TrainlintCheck {
public:
  SyncItemCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_SYNCITEMCHECK_H
