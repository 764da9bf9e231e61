//===--- OptimCudnnBenchmarkCheck.h - torch-optim-cudnn-benchmark ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMCUDNNBENCHMARKCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMCUDNNBENCHMARKCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds convolutional networks trained on CUDA without enabling the cuDNN autotuner.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-cudnn-benchmark.md
class OptimCudnnBenchmarkCheck : public TrainlintCheck {
public:
  OptimCudnnBenchmarkCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;

private:
  /// What the unit holds: the finding waits for all of it.
  clang::ASTContext *Ctx = nullptr;
  const clang::Stmt *FirstLoop = nullptr;
  const clang::CXXConstructExpr *FirstConvolution = nullptr;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMCUDNNBENCHMARKCHECK_H
