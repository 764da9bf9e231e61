//===--- OptimConvBiasBeforeBatchnormCheck.h - torch-optim-conv-bias-before-batchnorm ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMCONVBIASBEFOREBATCHNORMCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMCONVBIASBEFOREBATCHNORMCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds convolutions with a bias immediately followed by batch normalization, which cancels the bias.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-conv-bias-before-batchnorm.md
class OptimConvBiasBeforeBatchnormCheck : public TrainlintCheck {
public:
  OptimConvBiasBeforeBatchnormCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMCONVBIASBEFOREBATCHNORMCHECK_H
