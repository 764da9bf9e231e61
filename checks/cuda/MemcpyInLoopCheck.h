//===--- MemcpyInLoopCheck.h - cuda-memcpy-in-loop ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_CUDA_MEMCPYINLOOPCHECK_H
#define TRAINLINT_CHECKS_CUDA_MEMCPYINLOOPCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::cuda {

/// Finds blocking 'cudaMemcpy' and 'cudaMemset' calls inside a hot loop.
///
/// For the user-facing documentation see:
/// docs/checks/cuda-memcpy-in-loop.md
class MemcpyInLoopCheck : public TrainlintCheck {
public:
  MemcpyInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// Host-to-device copies of a constant size up to this many bytes are
  /// parameter uploads, cheap enough to leave alone.
  const uint64_t SmallCopyThreshold;
};

} // namespace trainlint::cuda

#endif // TRAINLINT_CHECKS_CUDA_MEMCPYINLOOPCHECK_H
