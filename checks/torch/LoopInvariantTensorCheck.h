//===--- LoopInvariantTensorCheck.h - torch-loop-invariant-tensor ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPINVARIANTTENSORCHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPINVARIANTTENSORCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds tensors created with the same value on every iteration of a hot loop, which could be created once before it.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-invariant-tensor.md
class LoopInvariantTensorCheck : public TrainlintCheck {
public:
  LoopInvariantTensorCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPINVARIANTTENSORCHECK_H
