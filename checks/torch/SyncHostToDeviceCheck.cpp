//===--- SyncHostToDeviceCheck.cpp - torch-sync-host-to-device ---===//

#include "SyncHostToDeviceCheck.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral MoveId = "move";
constexpr llvm::StringLiteral MemberId = "member";
} // namespace

SyncHostToDeviceCheck::SyncHostToDeviceCheck(llvm::StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncHostToDeviceCheck::registerMatchers(MatchFinder *Finder) {
  // batch.data.to(device), x.to(device, torch::kHalf), x.to(torch::kCUDA),
  // x.to(options), x.to(other), x.cuda(), x.toBackend(at::Backend::CUDA)
  // FIXME: copies into an existing device tensor (gpu.copy_(host)) and
  // modules moved every iteration (model->to(device)) are not seen.
  const auto MoveMethod = cxxMethodDecl(hasAnyName(deviceMoveMethodNames()),
                                        ofClass(tensorClass()));
  Finder->addMatcher(
      cxxMemberCallExpr(callee(MoveMethod), callee(memberExpr().bind(MemberId)))
          .bind(MoveId),
      this);
}

void SyncHostToDeviceCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CXXMemberCallExpr>(MoveId);
  const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId);
  assert(Call && Member && "the matcher binds the call and its member");
  ASTContext &Ctx = *Result.Context;

  const HotPathModel &Model = HotPathModel::get(Ctx);
  // With no accelerator anywhere in the program, `to(device)` stays on the
  // CPU and copies nothing.
  if (!Model.mayUseAccelerator())
    return;

  std::optional<HotContext> Hot = Model.classify(*Call);
  // Before the loop or once per epoch: one copy costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: already amortized.
  if (Hot->isGated())
    return;

  std::optional<DeviceMove> Move = asDeviceMove(*Call, Ctx);
  // to(dtype), toType(dtype), to(options) without a device: no move.
  if (!Move)
    return;
  switch (Move->Target) {
  case DeviceTarget::Accelerator:
  case DeviceTarget::Unknown:
    break;
  case DeviceTarget::Cpu:
    // A copy to the host: torch-sync-device-to-host's business.
    return;
  case DeviceTarget::Other:
    // The meta device holds no data: nothing is copied.
    return;
  case DeviceTarget::None:
  case DeviceTarget::Opaque:
    // FIXME: options held in a variable whose device we cannot see may move
    // the tensor, or only change its dtype; stay silent rather than guess.
    return;
  }

  FlagValue NonBlocking = FlagValue::Default;
  if (Move->NonBlockingParam)
    NonBlocking = flagArgument(*Call, *Move->NonBlockingParam, Ctx);
  // Already asynchronous, or decided at run time (a `pin` flag the program
  // passes on): the author has chosen.
  if (NonBlocking == FlagValue::True || NonBlocking == FlagValue::Unknown)
    return;

  const Expr *Object = Call->getImplicitObjectArgument();
  assert(Object && "a member call has an object");
  // torch::zeros({n}).to(device): torch-sync-create-then-move reports it,
  // with the better fix of creating the tensor on the device.
  if (const auto *Factory = dyn_cast<CallExpr>(ignoreUnwritten(Object))) {
    if (!isa<CXXMemberCallExpr>(Factory) &&
        isTensorFactory(Factory->getDirectCallee()) &&
        isProvablyOnHost(Factory, Ctx))
      return;
    // torch::zeros_like(x).to(device), x.new_zeros({n}).to(device): created
    // where x lives. On the host, torch-sync-create-then-move reports it;
    // anywhere else the tensor may be on the device already.
    if (deviceSourceOf(*Factory))
      return;
  }

  // x.to(device).to(device), model->forward(x).to(device): the tensor is on
  // the device already and nothing crosses from the host.
  if (isProvablyOnDevice(Object, Ctx))
    return;

  // cuda(), toBackend(): no non_blocking to pass.
  const bool HasNonBlocking = Move->NonBlockingParam.has_value();
  const PinState Pin = pinStateOf(Object, Ctx);
  // The fix-it writes `, /*non_blocking=*/true` after the last argument: the
  // call must stop right where non_blocking goes, the tensor must be in
  // pinned memory (from pageable memory the copy stays synchronous) that no
  // other code writes while the copy is in flight, and the text must be ours
  // to edit.
  const unsigned Written = writtenArgCount(*Call);
  const bool CanFix = HasNonBlocking && Pin == PinState::PinnedUnshared &&
                      Written > 0 && Written == *Move->NonBlockingParam &&
                      !involvesMacro(*Call) && !isInTemplate(*Call, Ctx);

  {
    auto Diag = diag(Member->getMemberLoc(),
                     "'%0()' copies a host tensor to the device and blocks "
                     "the host until the copy is done, on every iteration of "
                     "the %1; copy from pinned memory with "
                     "'non_blocking=true'")
                << Member->getMemberDecl()->getName()
                << loopKindName(Hot->Kind);
    if (CanFix) {
      SourceLocation After =
          Lexer::getLocForEndOfToken(Call->getArg(Written - 1)->getEndLoc(), 0,
                                     *Result.SourceManager, getLangOpts());
      if (After.isValid())
        Diag << FixItHint::CreateInsertion(After, ", /*non_blocking=*/true");
    }
  }

  if (!HasNonBlocking)
    diag(Object->getBeginLoc(),
         "'%0()' has no 'non_blocking' parameter: pin the host tensor with "
         "'pin_memory()', then call 'to(device, /*non_blocking=*/true)' so "
         "the copy overlaps compute",
         DiagnosticIDs::Note)
        << Member->getMemberDecl()->getName();
  else if (Pin == PinState::PinnedShared)
    diag(Object->getBeginLoc(),
         "the tensor is in pinned memory: pass 'non_blocking=true' so the "
         "copy overlaps compute, once nothing writes the tensor while the "
         "copy is in flight",
         DiagnosticIDs::Note);
  else if (Pin == PinState::PinnedUnshared && !CanFix)
    diag(Object->getBeginLoc(),
         "the tensor is in pinned memory: pass 'non_blocking=true' so the "
         "copy overlaps compute",
         DiagnosticIDs::Note);
  else if (Pin == PinState::Unknown)
    diag(Object->getBeginLoc(),
         "pin the host tensor with 'pin_memory()' (or allocate it with "
         "'TensorOptions().pinned_memory(true)'), then pass "
         "'non_blocking=true' so the copy overlaps compute",
         DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
