//===--- LoopPerElementCheck.h - torch-loop-per-element ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPPERELEMENTCHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPPERELEMENTCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds loops that run one tensor operation per element of a tensor, indexing it with the loop counter, and scalars drawn through one-element tensors.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-per-element.md
class LoopPerElementCheck : public TrainlintCheck {
public:
  LoopPerElementCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPPERELEMENTCHECK_H
