//===--- LoopInvariantForwardCheck.h - torch-loop-invariant-forward ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPINVARIANTFORWARDCHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPINVARIANTFORWARDCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds module calls and pure tensor expressions whose inputs do not change in a hot loop, computed on every iteration.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-invariant-forward.md
class LoopInvariantForwardCheck : public TrainlintCheck {
public:
  LoopInvariantForwardCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPINVARIANTFORWARDCHECK_H
