//===--- MemcpyAsyncPageableCheck.cpp - cuda-memcpy-async-pageable ---===//

#include "MemcpyAsyncPageableCheck.h"
#include "model/CudaMemory.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral CalleeId = "callee";

/// Where an asynchronous copy keeps its two sides and its direction.
struct AsyncCopyLayout {
  llvm::StringLiteral Name;
  unsigned DstArg;
  unsigned SrcArg;
  unsigned KindArg;
};

constexpr AsyncCopyLayout Layouts[] = {
    {"cudaMemcpyAsync", 0, 1, 3},
    {"cudaMemcpy2DAsync", 0, 2, 6},
};

const AsyncCopyLayout *layoutOf(llvm::StringRef Name) {
  for (const AsyncCopyLayout &Layout : Layouts)
    if (Layout.Name == Name)
      return &Layout;
  return nullptr;
}
} // namespace

MemcpyAsyncPageableCheck::MemcpyAsyncPageableCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void MemcpyAsyncPageableCheck::registerMatchers(MatchFinder *Finder) {
  // The CUDA runtime's asynchronous copies between host and device, free
  // functions of the global namespace, also as the runtime's headers rename
  // them under per-thread default stream compilation (cudaMemcpyAsync_ptsz).
  const auto AsyncCopy = functionDecl(
      hasAnyName("::cudaMemcpyAsync", "::cudaMemcpyAsync_ptsz",
                 "::cudaMemcpy2DAsync", "::cudaMemcpy2DAsync_ptsz"));

  // cudaMemcpyAsync(dev, hostVector.data(), bytes, cudaMemcpyHostToDevice, s);
  // FIXME: cudaMemcpyToSymbolAsync, cudaMemcpyFromSymbolAsync,
  // cudaMemcpy3DAsync, the Array variants and the driver API's cuMemcpy*Async
  // are not matched.
  Finder->addMatcher(callExpr(callee(AsyncCopy.bind(CalleeId)),
                              unless(isExpansionInSystemHeader()))
                         .bind(CallId),
                     this);
}

void MemcpyAsyncPageableCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  const auto *Callee = Result.Nodes.getNodeAs<FunctionDecl>(CalleeId);
  assert(Call && Callee && "the matcher binds the call and its callee");
  llvm::StringRef Name = cudaApiName(*Callee);
  const AsyncCopyLayout *Layout = layoutOf(Name);
  assert(Layout && "the matcher names only functions with a layout");
  // A call through a K&R-style or broken declaration: nothing to read.
  if (Call->getNumArgs() <= Layout->KindArg)
    return;

  std::optional<MemcpyKind> Kind =
      memcpyKindOf(*Call->getArg(Layout->KindArg), *Result.Context);
  // A direction chosen at run time: which side is the host's is unknown.
  if (!Kind)
    return;
  llvm::SmallVector<const Expr *, 2> HostSides;
  switch (*Kind) {
  case MemcpyKind::HostToDevice:
    HostSides.push_back(Call->getArg(Layout->SrcArg));
    break;
  case MemcpyKind::DeviceToHost:
    HostSides.push_back(Call->getArg(Layout->DstArg));
    break;
  case MemcpyKind::Default:
    // With unified addressing the runtime finds the direction from the
    // pointers; either side may be the host's.
    HostSides.push_back(Call->getArg(Layout->SrcArg));
    HostSides.push_back(Call->getArg(Layout->DstArg));
    break;
  case MemcpyKind::HostToHost:
  case MemcpyKind::DeviceToDevice:
    // FIXME: a host-to-host copy from pageable memory is synchronous too,
    // but it is no transfer to speed up with pinned memory.
    return;
  }

  std::optional<PageableBuffer> Buffer;
  const Expr *HostSide = nullptr;
  for (const Expr *Side : HostSides) {
    Buffer = findPageableBuffer(*Side, *Result.Context);
    if (Buffer) {
      HostSide = Side;
      break;
    }
  }
  // A parameter, a pointer of unknown origin, pinned memory (cudaMallocHost,
  // cudaHostAlloc) or memory registered with cudaHostRegister: the copy may
  // well be asynchronous.
  if (!Buffer)
    return;
  bool ToHost = HostSide == Call->getArg(Layout->DstArg);

  diag(Call->getBeginLoc(),
       "'%0' %select{from|to}1 pageable host memory is synchronous; allocate "
       "the host buffer with 'cudaMallocHost' or 'cudaHostAlloc', or register "
       "it with 'cudaHostRegister'")
      << Name << ToHost << HostSide->getSourceRange();
  diag(Buffer->Var->getLocation(),
       "%0 %select{holds|points to}1 pageable host memory %2: the driver "
       "stages the copy through a pinned buffer of its own, so the copy is "
       "synchronous with the host",
       DiagnosticIDs::Note)
      << Buffer->Var << Buffer->VarPointsToIt << Buffer->Origin;
  // Outside a hot loop the copy is as slow, but only once; the loop is worth
  // naming when it repeats. The finding stands either way, so this unit
  // decides rather than the project run.
  std::optional<HotContext> Hot =
      HotPathModel::get(*Result.Context).classify(*Call, Deferral::Forbid);
  if (Hot && !Hot->isGated())
    noteHotContext(*Hot);
}

} // namespace trainlint::cuda
