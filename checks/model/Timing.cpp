//===--- Timing.cpp - does this loop measure its own time? ----------------===//

#include "Timing.h"
#include "HotPath.h"
#include "TorchApi.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/STLExtras.h"

namespace trainlint {

using namespace clang;

namespace {

/// Whether \p FD is declared at global scope (an `extern "C"` block counts) or
/// in namespace std, where the C library's clocks live.
bool isGlobalOrStd(const FunctionDecl *FD) {
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit())
    return true;
  const auto *NS = dyn_cast<NamespaceDecl>(DC);
  return NS && NS->isStdNamespace();
}

class TimingSearch {
public:
  explicit TimingSearch(ASTContext &Ctx)
      : SM(Ctx.getSourceManager()), Model(HotPathModel::get(Ctx)) {}

  /// Searches the parts of \p S that repeat when \p S is a loop, all of it
  /// otherwise.
  bool searchRepeatingParts(const Stmt *S, unsigned Depth) {
    if (const auto *Range = dyn_cast<CXXForRangeStmt>(S))
      return search(Range->getBody(), Depth);
    if (const auto *For = dyn_cast<ForStmt>(S))
      return search(For->getCond(), Depth) || search(For->getInc(), Depth) ||
             search(For->getBody(), Depth);
    return search(S, Depth);
  }

private:
  bool search(const Stmt *S, unsigned Depth) {
    if (!S)
      return false;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (isTimingCall(*Call) && !isGated(*Call))
        return true;
      if (Depth < MaxTimingCallDepth && searchCallee(*Call, Depth + 1))
        return true;
    }
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S))
      // A lambda's body is not among its children; it runs where it is
      // called, usually right here.
      return search(Lambda->getBody(), Depth);
    for (const Stmt *Child : S->children())
      if (search(Child, Depth))
        return true;
    return false;
  }

  /// Whether the hot-path model puts \p Call under a step-counter condition:
  /// a clock read every N steps (a throughput log line) times no step.
  bool isGated(const CallExpr &Call) const {
    // Decided in this unit: a deferred context knows no gate.
    std::optional<HotContext> Hot = Model.classify(Call, Deferral::Forbid);
    return Hot && Hot->isGated();
  }

  bool searchCallee(const CallExpr &Call, unsigned Depth) {
    const FunctionDecl *Callee = Call.getDirectCallee();
    if (!Callee)
      return false;
    const FunctionDecl *Def = nullptr;
    if (!Callee->getBody(Def) || !Def)
      return false;
    // Library internals are not the user's measurement, and walking them
    // would cost more than every check together.
    if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
      return false;
    // Recursion and functions called twice are searched once.
    if (!Visited.insert(Def).second)
      return false;
    return search(Def->getBody(), Depth);
  }

  const SourceManager &SM;
  const HotPathModel &Model;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Visited;
};

} // namespace

bool isTimingCall(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    const CXXRecordDecl *Class = MD->getParent();
    // steady_clock::now(), system_clock::now(), high_resolution_clock::now(),
    // whatever inline namespace the standard library puts them in.
    if (Name == "now" && MD->isStatic() && isInNamespace(Class, "std::chrono"))
      return true;
    if (Name == "elapsed_time" &&
        isSameOrDerivedFrom(Class, "at::cuda::CUDAEvent"))
      return true;
    if (Name == "elapsedTime" && isSameOrDerivedFrom(Class, "c10::Event"))
      return true;
    return false;
  }
  if (Name == "cudaEventElapsedTime")
    return isCudaRuntimeFunction(FD);
  static constexpr llvm::StringLiteral CClocks[] = {
      "clock_gettime", "gettimeofday", "timespec_get", "clock"};
  return llvm::is_contained(CClocks, Name) && isGlobalOrStd(FD);
}

bool loopTimesItself(const Stmt &Loop, ASTContext &Ctx) {
  return TimingSearch(Ctx).searchRepeatingParts(&Loop, 0);
}

} // namespace trainlint
