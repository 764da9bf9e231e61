//===--- SyncDataDependentShapeCheck.h - torch-sync-data-dependent-shape ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_SYNCDATADEPENDENTSHAPECHECK_H
#define TRAINLINT_CHECKS_TORCH_SYNCDATADEPENDENTSHAPECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds operations whose output shape depends on tensor values inside a hot loop, each of which synchronizes the host with the device.
///
/// Level 2: it runs when `trainlint.Level` is 2 or when named explicitly.
///
/// For the user-facing documentation see:
/// docs/checks/torch-sync-data-dependent-shape.md
class SyncDataDependentShapeCheck : public TrainlintCheck {
public:
  SyncDataDependentShapeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_SYNCDATADEPENDENTSHAPECHECK_H
