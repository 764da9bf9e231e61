//===--- SyncExplicitCheck.cpp - torch-sync-explicit ----------------------===//

#include "SyncExplicitCheck.h"
#include "model/Timing.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral MemberId = "member";
constexpr llvm::StringLiteral StreamId = "stream";
constexpr llvm::StringLiteral EventId = "event";

/// What a synchronization waits for, for the message.
enum class SyncScope { Device, Stream, Event };
} // namespace

SyncExplicitCheck::SyncExplicitCheck(llvm::StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncExplicitCheck::registerMatchers(MatchFinder *Finder) {
  // torch::cuda::synchronize(), c10::cuda::device_synchronize() (also spelled
  // at::cuda::device_synchronize()), c10::cuda::stream_synchronize(s)
  // FIXME: a call through a function pointer, and the synchronizations of
  // other back ends (torch::mps::synchronize, torch::xpu::synchronize), are
  // not seen.
  const auto DeviceSyncFunction = functionDecl(
      hasAnyName("::torch::cuda::synchronize",
                 "::c10::cuda::device_synchronize",
                 "::c10::cuda::stream_synchronize"));
  Finder->addMatcher(callExpr(callee(DeviceSyncFunction)).bind(CallId), this);

  // stream.synchronize() on a c10::Stream or a c10::cuda::CUDAStream (which
  // at::cuda::CUDAStream names too), or a class derived from one
  // FIXME: a stream the user wraps in a class of their own (not derived) is
  // not seen.
  const auto StreamClass = cxxRecordDecl(ast_matchers::isSameOrDerivedFrom(
      hasAnyName("::c10::Stream", "::c10::cuda::CUDAStream",
                 "::at::cuda::CUDAStream")));
  Finder->addMatcher(
      cxxMemberCallExpr(
          callee(cxxMethodDecl(hasName("synchronize"), ofClass(StreamClass))),
          callee(memberExpr().bind(MemberId)))
          .bind(StreamId),
      this);

  // event.synchronize() on a c10::Event or an at::cuda::CUDAEvent
  // FIXME: c10::Event::synchronize() exists only in libtorch 2.x; an event
  // of another back end's own class is not seen.
  const auto EventClass = cxxRecordDecl(ast_matchers::isSameOrDerivedFrom(
      hasAnyName("::c10::Event", "::at::cuda::CUDAEvent")));
  Finder->addMatcher(
      cxxMemberCallExpr(
          callee(cxxMethodDecl(hasName("synchronize"), ofClass(EventClass))),
          callee(memberExpr().bind(MemberId)))
          .bind(EventId),
      this);
}

void SyncExplicitCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  SyncScope Scope = SyncScope::Device;
  if (const auto *Stream = Result.Nodes.getNodeAs<CallExpr>(StreamId)) {
    Call = Stream;
    Scope = SyncScope::Stream;
  } else if (const auto *Event = Result.Nodes.getNodeAs<CallExpr>(EventId)) {
    Call = Event;
    Scope = SyncScope::Event;
  }
  assert(Call && "every matcher binds the call");
  // These calls name CUDA, so the hot-path model never rules the accelerator
  // out: mayUseAccelerator() need not be asked.
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  std::optional<HotContext> Hot = Model.classify(*Call);
  // Before or after the loop, or once per epoch: a single wait costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: the wait is already amortized,
  // and often there on purpose (a checkpoint, a log line).
  if (Hot->isGated())
    return;
  // A loop that reads a clock measures itself: the wait makes the measured
  // time that of the device work, not of queueing it. The same for a helper
  // that times the step it is called for.
  if (hotLoopTimesItself(*Hot, *Result.Context))
    return;

  SourceLocation Loc = Call->getBeginLoc();
  std::string What;
  if (const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId)) {
    Loc = Member->getMemberLoc();
    const auto *Method = cast<CXXMethodDecl>(Member->getMemberDecl());
    What = "'" + Method->getParent()->getNameAsString() + "::synchronize()'";
  } else {
    What = "'" + Call->getDirectCallee()->getQualifiedNameAsString() + "()'";
  }
  diag(Loc, "%0 blocks the host until %select{all work queued on the "
            "device|the work queued on the stream|the work recorded before "
            "the event}1 has finished, on every iteration of the %2; remove "
            "it, or order the work on the device with an event ('record()', "
            "then 'block()' on the waiting stream)")
      << What << static_cast<unsigned>(Scope) << loopKindName(Hot->Kind);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
