//===--- DataUnbatchedCheck.h - torch-data-unbatched ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_DATAUNBATCHEDCHECK_H
#define TRAINLINT_CHECKS_TORCH_DATAUNBATCHEDCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds batches that are walked example by example in a training loop, calling the model per example, because the dataset has no collation transform.
///
/// For the user-facing documentation see:
/// docs/checks/torch-data-unbatched.md
class DataUnbatchedCheck : public TrainlintCheck {
public:
  DataUnbatchedCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_DATAUNBATCHEDCHECK_H
