//===--- LoopCatAccumulateCheck.h - torch-loop-cat-accumulate ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPCATACCUMULATECHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPCATACCUMULATECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds tensors grown inside a loop by concatenating onto themselves, which copies the whole tensor on every iteration.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-cat-accumulate.md
class LoopCatAccumulateCheck : public TrainlintCheck {
public:
  LoopCatAccumulateCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPCATACCUMULATECHECK_H
