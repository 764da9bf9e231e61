//===--- AllocInLoopCheck.cpp - cuda-alloc-in-loop ---===//

#include "AllocInLoopCheck.h"
#include "model/CudaMemory.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral CalleeId = "callee";
constexpr llvm::StringLiteral EmptyCacheId = "emptyCache";
} // namespace

AllocInLoopCheck::AllocInLoopCheck(llvm::StringRef Name,
                                   tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void AllocInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // The CUDA runtime's allocators of device and pinned host memory and their
  // frees, free functions of the global namespace (the runtime's template
  // overloads, `cudaMalloc(float **, size_t)`, carry the same names).
  // cudaMallocAsync and cudaFreeAsync are left out: they take memory from a
  // stream-ordered pool and neither call the driver nor synchronize.
  const auto Allocation =
      functionDecl(hasAnyName("::cudaMalloc", "::cudaFree", "::cudaMallocHost",
                              "::cudaFreeHost", "::cudaHostAlloc"));

  // cudaMalloc(&d_x, bytes); cudaFree(d_x); cudaMallocHost(&h, bytes);
  // cudaHostAlloc(&h, bytes, cudaHostAllocDefault); cudaFreeHost(h);
  // CUDA_CHECK(cudaMalloc(&d_x, bytes));
  // FIXME: cudaMallocManaged, cudaMallocPitch, cudaMalloc3D, cudaMallocArray,
  // the driver API (cuMemAlloc, cuMemFree) and allocations through a wrapper
  // of the user's whose body is in another file are not matched.
  Finder->addMatcher(callExpr(callee(Allocation.bind(CalleeId)),
                              unless(isExpansionInSystemHeader()))
                         .bind(CallId),
                     this);

  // c10::cuda::CUDACachingAllocator::emptyCache();
  // FIXME: torch::cuda has no emptyCache of its own; a wrapper of the user's
  // around it is seen only where it calls emptyCache itself.
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasName("::c10::cuda::CUDACachingAllocator::"
                                           "emptyCache"))
                          .bind(EmptyCacheId)),
               unless(isExpansionInSystemHeader()))
          .bind(CallId),
      this);
}

void AllocInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  const auto *Callee = Result.Nodes.getNodeAs<FunctionDecl>(CalleeId);
  const bool EmptyCache =
      Result.Nodes.getNodeAs<FunctionDecl>(EmptyCacheId) != nullptr;
  assert(Call && (Callee || EmptyCache) &&
         "the matchers bind the call and its callee");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  std::optional<HotContext> Hot = Model.classify(*Call);
  // Before or after the loop, once per epoch, or in a loop that neither
  // trains nor launches (setup, teardown): one allocation costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: rare, already amortized.
  if (Hot->isGated())
    return;
  // `if (!buf) cudaMalloc(&buf, n);`, `if (n > cap) { cudaFree(buf);
  // cudaMalloc(&buf, n); cap = n; }`: allocated once, or grown a few times,
  // and reused in between.
  if (Model.isGuardedInit(*Call, Hot->CallChain.empty() ? Hot->Loop : nullptr))
    return;

  llvm::StringRef Loop = loopKindName(Hot->Kind);
  if (EmptyCache) {
    diag(Call->getBeginLoc(),
         "'emptyCache()' returns the cached device memory to the driver and "
         "synchronizes the device on every iteration of the %0, so the next "
         "allocations go through 'cudaMalloc' again; call it outside the loop, "
         "if at all")
        << Loop;
    noteHotContext(*Hot);
    return;
  }

  llvm::StringRef Name = cudaApiName(*Callee);
  const bool Pinned = Name != "cudaMalloc" && Name != "cudaFree";
  llvm::StringRef Memory = Pinned ? "pinned host memory" : "device memory";
  if (Name == "cudaFree" || Name == "cudaFreeHost")
    diag(Call->getBeginLoc(),
         "'%0' frees %1 and synchronizes the device on every iteration of the "
         "%2; allocate the buffer once before the loop, reuse it, and free it "
         "after the loop")
        << Name << Memory << Loop;
  else
    diag(Call->getBeginLoc(),
         "'%0' allocates %1 on every iteration of the %2; allocate the buffer "
         "once before the loop and reuse it")
        << Name << Memory << Loop;
  diag(Call->getBeginLoc(),
       Pinned ? "pinning host memory goes through the driver, which locks "
                "every page, and costs far more than the copy it speeds up"
              : "allocating and freeing device memory goes through the "
                "driver and costs far more than a kernel launch; "
                "'cudaMallocAsync' and 'cudaFreeAsync' take memory from a "
                "stream-ordered pool instead",
       DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::cuda
