//===--- OptimCpuOnlyCheck.h - torch-optim-cpu-only ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMCPUONLYCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMCPUONLYCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds training loops whose program fixes the device to the CPU, with no device choice anywhere.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-cpu-only.md
class OptimCpuOnlyCheck : public TrainlintCheck {
public:
  OptimCpuOnlyCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;

private:
  /// A unit's training loops share one device choice: one finding for
  /// them all.
  bool Reported = false;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMCPUONLYCHECK_H
