//===--- DataNoPinMemoryCheck.h - torch-data-no-pin-memory ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_DATANOPINMEMORYCHECK_H
#define TRAINLINT_CHECKS_TORCH_DATANOPINMEMORYCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds non_blocking host-to-device copies of batches that are never pinned, so the copy stays synchronous.
///
/// For the user-facing documentation see:
/// docs/checks/torch-data-no-pin-memory.md
class DataNoPinMemoryCheck : public TrainlintCheck {
public:
  DataNoPinMemoryCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_DATANOPINMEMORYCHECK_H
