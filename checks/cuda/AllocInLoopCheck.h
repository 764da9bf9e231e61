//===--- AllocInLoopCheck.h - cuda-alloc-in-loop ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_CUDA_ALLOCINLOOPCHECK_H
#define TRAINLINT_CHECKS_CUDA_ALLOCINLOOPCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::cuda {

/// Finds CUDA memory allocations and frees inside a hot loop.
///
/// For the user-facing documentation see:
/// docs/checks/cuda-alloc-in-loop.md
class AllocInLoopCheck : public TrainlintCheck {
public:
  AllocInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::cuda

#endif // TRAINLINT_CHECKS_CUDA_ALLOCINLOOPCHECK_H
