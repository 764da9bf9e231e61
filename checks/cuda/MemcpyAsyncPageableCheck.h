//===--- MemcpyAsyncPageableCheck.h - cuda-memcpy-async-pageable ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_CUDA_MEMCPYASYNCPAGEABLECHECK_H
#define TRAINLINT_CHECKS_CUDA_MEMCPYASYNCPAGEABLECHECK_H

#include "TrainlintCheck.h"

namespace trainlint::cuda {

/// Finds 'cudaMemcpyAsync' calls whose host buffer is provably pageable memory, which makes the copy synchronous.
///
/// For the user-facing documentation see:
/// docs/checks/cuda-memcpy-async-pageable.md
class MemcpyAsyncPageableCheck : public TrainlintCheck {
public:
  MemcpyAsyncPageableCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::cuda

#endif // TRAINLINT_CHECKS_CUDA_MEMCPYASYNCPAGEABLECHECK_H
