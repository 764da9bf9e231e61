//===--- MemcpyInLoopCheck.cpp - cuda-memcpy-in-loop ---===//

#include "MemcpyInLoopCheck.h"
#include "model/CudaMemory.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral CalleeId = "callee";
constexpr llvm::StringLiteral SmallCopyThresholdOption = "SmallCopyThreshold";
constexpr uint64_t DefaultSmallCopyThreshold = 64 * 1024;

/// Where a blocking copy keeps its size and its direction.
struct CopyLayout {
  llvm::StringLiteral Name;
  /// The byte count, or the width when HeightArg is set; -1 when the size is
  /// not an argument.
  int SizeArg;
  int HeightArg;
  /// The cudaMemcpyKind argument, -1 when there is none.
  int KindArg;
};

constexpr CopyLayout Layouts[] = {
    {"cudaMemcpy", 2, -1, 3},           {"cudaMemcpy2D", 4, 5, 6},
    {"cudaMemcpy3D", -1, -1, -1},       {"cudaMemcpyToSymbol", 2, -1, 4},
    {"cudaMemcpyFromSymbol", 2, -1, 4}, {"cudaMemset", 2, -1, -1},
};

const CopyLayout *layoutOf(llvm::StringRef Name) {
  for (const CopyLayout &Layout : Layouts)
    if (Layout.Name == Name)
      return &Layout;
  return nullptr;
}

/// The constant byte count of the copy \p Call, when there is one.
std::optional<uint64_t> constantSize(const CallExpr &Call,
                                     const CopyLayout &Layout,
                                     const ASTContext &Ctx) {
  if (Layout.SizeArg < 0 || unsigned(Layout.SizeArg) >= Call.getNumArgs())
    return std::nullopt;
  std::optional<llvm::APSInt> Size =
      Call.getArg(Layout.SizeArg)->getIntegerConstantExpr(Ctx);
  if (!Size || Size->isNegative())
    return std::nullopt;
  uint64_t Bytes = Size->getZExtValue();
  if (Layout.HeightArg >= 0) {
    if (unsigned(Layout.HeightArg) >= Call.getNumArgs())
      return std::nullopt;
    std::optional<llvm::APSInt> Height =
        Call.getArg(Layout.HeightArg)->getIntegerConstantExpr(Ctx);
    if (!Height || Height->isNegative())
      return std::nullopt;
    if (Height->getZExtValue() != 0 &&
        Bytes > UINT64_MAX / Height->getZExtValue())
      return std::nullopt;
    Bytes *= Height->getZExtValue();
  }
  return Bytes;
}

/// Whether \p S names a stream of the user's: a variable or member of type
/// cudaStream_t (the default stream is spelled 0 or nullptr).
bool namesStream(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S)) {
    QualType T = E->getType();
    if (!T.isNull() && T->isPointerType())
      if (const auto *RD = T->getPointeeType()->getAsRecordDecl())
        if (RD->getDeclName().isIdentifier() &&
            RD->getName() == "CUstream_st" && isa<DeclRefExpr, MemberExpr>(E))
          return true;
  }
  if (const auto *Lambda = dyn_cast<LambdaExpr>(S))
    return namesStream(Lambda->getBody());
  for (const Stmt *Child : S->children())
    if (namesStream(Child))
      return true;
  return false;
}

} // namespace

MemcpyInLoopCheck::MemcpyInLoopCheck(llvm::StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context),
      SmallCopyThreshold(
          Options.get(SmallCopyThresholdOption, DefaultSmallCopyThreshold)) {}

void MemcpyInLoopCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, SmallCopyThresholdOption, SmallCopyThreshold);
}

void MemcpyInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // The CUDA runtime's blocking copies and memset, free functions of the
  // global namespace, also as the runtime's headers rename them under
  // per-thread default stream compilation (cudaMemcpy_ptds). cudaMemset_ptds
  // is left out: it runs on the thread's own stream and blocks nothing.
  const auto BlockingCopy = functionDecl(hasAnyName(
      "::cudaMemcpy", "::cudaMemcpy_ptds", "::cudaMemcpy2D",
      "::cudaMemcpy2D_ptds", "::cudaMemcpy3D", "::cudaMemcpy3D_ptds",
      "::cudaMemcpyToSymbol", "::cudaMemcpyToSymbol_ptds",
      "::cudaMemcpyFromSymbol", "::cudaMemcpyFromSymbol_ptds", "::cudaMemset"));

  // cudaMemcpy(host, dev, bytes, cudaMemcpyDeviceToHost);
  // cudaMemcpyToSymbol(weights, host, bytes); cudaMemset(dev, 0, bytes);
  // FIXME: cudaMemcpyPeer, cudaMemcpy*Array*, cudaMemset2D/3D and the driver
  // API's cuMemcpy* are not matched; nor is a copy through a function
  // pointer.
  Finder->addMatcher(callExpr(callee(BlockingCopy.bind(CalleeId)),
                              unless(isExpansionInSystemHeader()))
                         .bind(CallId),
                     this);
}

void MemcpyInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  const auto *Callee = Result.Nodes.getNodeAs<FunctionDecl>(CalleeId);
  assert(Call && Callee && "the matcher binds the call and its callee");
  llvm::StringRef Name = cudaApiName(*Callee);
  const CopyLayout *Layout = layoutOf(Name);
  assert(Layout && "the matcher names only functions with a layout");

  std::optional<HotContext> Hot =
      HotPathModel::get(*Result.Context).classify(*Call);
  // Before or after the loop, or in a loop that launches nothing (setup,
  // loading the weights): a single copy costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: the copy is already amortized.
  if (Hot->isGated())
    return;

  std::optional<MemcpyKind> Kind;
  if (Layout->KindArg >= 0 && unsigned(Layout->KindArg) < Call->getNumArgs())
    Kind = memcpyKindOf(*Call->getArg(Layout->KindArg), *Result.Context);
  // A device-to-device copy is queued like a kernel: the host does not wait.
  if (Kind == MemcpyKind::DeviceToDevice)
    return;
  // A small upload of constant size (a step's scalars, a few parameters) is
  // cheaper than the machinery that would hide it.
  if (Kind == MemcpyKind::HostToDevice)
    if (std::optional<uint64_t> Bytes =
            constantSize(*Call, *Layout, *Result.Context))
      if (*Bytes <= SmallCopyThreshold)
        return;

  if (Name == "cudaMemset") {
    // cudaMemset on device memory does not block the host; what it costs is
    // the legacy default stream it runs on, which waits for and holds up
    // every other stream. A loop that uses no stream of its own loses
    // nothing.
    // FIXME: a loop in another file (Hot->Loop is null) is not searched
    // for streams, so the memset stays silent there.
    if (!namesStream(Hot->Loop))
      return;
    diag(Call->getBeginLoc(),
         "'cudaMemset' runs on the legacy default stream, which waits for the "
         "work of every other stream, on every iteration of the %0; use "
         "'cudaMemsetAsync' on the step's stream")
        << loopKindName(Hot->Kind);
    noteHotContext(*Hot);
    return;
  }

  diag(Call->getBeginLoc(),
       "'%0' blocks the host until the copy is done, on every iteration of "
       "the %1; use '%0Async' on a stream, with pinned host memory, and "
       "synchronize once per step")
      << Name << loopKindName(Hot->Kind);
  diag(Call->getBeginLoc(),
       "the copy waits for the work queued before it and the host waits for "
       "the copy, so nothing is queued for the next step meanwhile and the "
       "device idles",
       DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::cuda
