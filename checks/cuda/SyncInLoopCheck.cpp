//===--- SyncInLoopCheck.cpp - cuda-sync-in-loop ---===//

#include "SyncInLoopCheck.h"
#include "model/CudaMemory.h"
#include "model/Timing.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral CalleeId = "callee";
} // namespace

SyncInLoopCheck::SyncInLoopCheck(llvm::StringRef Name,
                                 tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // The CUDA runtime's host-blocking waits, free functions of the global
  // namespace, also as the runtime's headers rename them under per-thread
  // default stream compilation (cudaStreamSynchronize_ptsz).
  const auto BlockingWait = functionDecl(
      hasAnyName("::cudaDeviceSynchronize", "::cudaThreadSynchronize",
                 "::cudaStreamSynchronize", "::cudaStreamSynchronize_ptsz",
                 "::cudaEventSynchronize"));

  // cudaDeviceSynchronize(); cudaStreamSynchronize(stream);
  // CUDA_CHECK(cudaEventSynchronize(done));
  // FIXME: the driver API (cuCtxSynchronize, cuStreamSynchronize), a busy
  // wait on cudaStreamQuery/cudaEventQuery, and waits hidden in other calls
  // (a blocking cudaMemcpy, see cuda-memcpy-in-loop) are not matched.
  Finder->addMatcher(callExpr(callee(BlockingWait.bind(CalleeId)),
                              unless(isExpansionInSystemHeader()))
                         .bind(CallId),
                     this);
}

void SyncInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  const auto *Callee = Result.Nodes.getNodeAs<FunctionDecl>(CalleeId);
  assert(Call && Callee && "the matcher binds the call and its callee");
  std::optional<HotContext> Hot =
      HotPathModel::get(*Result.Context).classify(*Call);
  // Before or after the loop, or in a loop that launches nothing (setup,
  // teardown, one wait per epoch): a single wait costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: the wait is already amortized.
  if (Hot->isGated())
    return;
  // A loop that reads a clock or an event timer waits on purpose: without
  // the wait it would time how fast work is queued, not how fast it runs.
  // The same holds for a helper on the way from the loop that times what it
  // waits for.
  if (hotLoopTimesItself(*Hot, *Result.Context))
    return;

  llvm::StringRef Name = cudaApiName(*Callee);
  llvm::StringRef Until = Name == "cudaEventSynchronize"
                              ? "until the event has completed"
                          : Name == "cudaStreamSynchronize"
                              ? "until all work queued on the stream is done"
                              : "until all work on the device is done";
  diag(Call->getBeginLoc(),
       "'%0' blocks the host %1, on every iteration of the %2; rely on "
       "stream order and synchronize every N steps or after the loop")
      << Name << Until << loopKindName(Hot->Kind);
  diag(Call->getBeginLoc(),
       "while the host waits it queues no work, so the device idles between "
       "steps; kernels and asynchronous copies on one stream already run in "
       "order",
       DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::cuda
