//===--- SyncInLoopCheck.h - cuda-sync-in-loop ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_CUDA_SYNCINLOOPCHECK_H
#define TRAINLINT_CHECKS_CUDA_SYNCINLOOPCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::cuda {

/// Finds 'cudaDeviceSynchronize', 'cudaStreamSynchronize' and 'cudaEventSynchronize' inside a hot loop that does not time itself.
///
/// For the user-facing documentation see:
/// docs/checks/cuda-sync-in-loop.md
class SyncInLoopCheck : public TrainlintCheck {
public:
  SyncInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::cuda

#endif // TRAINLINT_CHECKS_CUDA_SYNCINLOOPCHECK_H
