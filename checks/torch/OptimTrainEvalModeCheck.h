//===--- OptimTrainEvalModeCheck.h - torch-optim-train-eval-mode ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMTRAINEVALMODECHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMTRAINEVALMODECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds evaluation loops that run a module in training mode, and training loops reached after 'eval()' with no 'train()'.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-train-eval-mode.md
class OptimTrainEvalModeCheck : public TrainlintCheck {
public:
  OptimTrainEvalModeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMTRAINEVALMODECHECK_H
