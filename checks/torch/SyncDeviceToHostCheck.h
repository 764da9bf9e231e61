//===--- SyncDeviceToHostCheck.h - torch-sync-device-to-host ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_SYNCDEVICETOHOSTCHECK_H
#define TRAINLINT_CHECKS_TORCH_SYNCDEVICETOHOSTCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds copies of tensors to the CPU and printing of tensors inside a hot loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-sync-device-to-host.md
class SyncDeviceToHostCheck : public TrainlintCheck {
public:
  SyncDeviceToHostCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_SYNCDEVICETOHOSTCHECK_H
