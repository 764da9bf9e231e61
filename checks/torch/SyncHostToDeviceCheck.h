//===--- SyncHostToDeviceCheck.h - torch-sync-host-to-device ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_SYNCHOSTTODEVICECHECK_H
#define TRAINLINT_CHECKS_TORCH_SYNCHOSTTODEVICECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds blocking per-iteration copies of host tensors to a device inside a hot loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-sync-host-to-device.md
class SyncHostToDeviceCheck : public TrainlintCheck {
public:
  SyncHostToDeviceCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_SYNCHOSTTODEVICECHECK_H
