//===--- OptimDebugModeCheck.h - torch-optim-debug-mode ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMDEBUGMODECHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMDEBUGMODECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds anomaly detection and the autograd profiler left enabled around a training loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-debug-mode.md
class OptimDebugModeCheck : public TrainlintCheck {
public:
  OptimDebugModeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;

  /// The source ranges of the unit's conditional blocks (`#ifndef NDEBUG`
  /// ... `#endif`) whose conditions name a debug macro: what they hold
  /// builds only when the user asks.
  std::vector<clang::SourceRange> DebugRegions;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMDEBUGMODECHECK_H
