//===--- DataTransformInLoopCheck.h - torch-data-transform-in-loop ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_DATATRANSFORMINLOOPCHECK_H
#define TRAINLINT_CHECKS_TORCH_DATATRANSFORMINLOOPCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds per-batch preprocessing in a training loop that is loop invariant or per example and belongs in the dataset's transforms.
///
/// For the user-facing documentation see:
/// docs/checks/torch-data-transform-in-loop.md
class DataTransformInLoopCheck : public TrainlintCheck {
public:
  DataTransformInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_DATATRANSFORMINLOOPCHECK_H
