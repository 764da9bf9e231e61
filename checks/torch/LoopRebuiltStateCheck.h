//===--- LoopRebuiltStateCheck.h - torch-loop-rebuilt-state ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPREBUILTSTATECHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPREBUILTSTATECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds optimizers and modules constructed, and models moved to a device, inside a training or epoch loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-rebuilt-state.md
class LoopRebuiltStateCheck : public TrainlintCheck {
public:
  LoopRebuiltStateCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPREBUILTSTATECHECK_H
