//===--- DataBatchSizeOneCheck.h - torch-data-batch-size-one ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_DATABATCHSIZEONECHECK_H
#define TRAINLINT_CHECKS_TORCH_DATABATCHSIZEONECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds training data loaders with a batch size of one.
///
/// For the user-facing documentation see:
/// docs/checks/torch-data-batch-size-one.md
class DataBatchSizeOneCheck : public TrainlintCheck {
public:
  DataBatchSizeOneCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_DATABATCHSIZEONECHECK_H
