//===--- SyncDeviceToHostCheck.cpp - torch-sync-device-to-host ---===//

#include "SyncDeviceToHostCheck.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral MoveId = "move";
constexpr llvm::StringLiteral MemberId = "member";
constexpr llvm::StringLiteral PrintId = "print";
constexpr llvm::StringLiteral PrintedId = "printed";
constexpr llvm::StringLiteral FormatId = "format";

AST_MATCHER(FunctionDecl, formattingFunction) {
  return isFormattingFunction(&Node);
}
} // namespace

SyncDeviceToHostCheck::SyncDeviceToHostCheck(llvm::StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncDeviceToHostCheck::registerMatchers(MatchFinder *Finder) {
  // x.cpu(), x.to(torch::kCPU), x.to(torch::Device("cpu")),
  // x.to(torch::kCPU, torch::kFloat), x.to(torch::TensorOptions().device(...)),
  // x.to(host_tensor), x.toBackend(at::Backend::CPU)
  // FIXME: copies made by other means (x.data_ptr() read on the host after
  // x.to(kCPU, non_blocking), x.copy_(cpu_tensor) into a host tensor) are not
  // seen.
  const auto MoveMethod = cxxMethodDecl(hasAnyName(deviceMoveMethodNames()),
                                        ofClass(tensorClass()));
  Finder->addMatcher(
      cxxMemberCallExpr(callee(MoveMethod), callee(memberExpr().bind(MemberId)))
          .bind(MoveId),
      this);

  // std::cout << loss, std::cout << "loss " << loss << "\n"
  // FIXME: a tensor printed through a user's own operator<< (for a struct
  // that holds tensors) is not seen.
  const auto TensorParam = hasType(references(tensorClass()));
  const auto TensorStreamOperator =
      functionDecl(hasAnyName("::at::operator<<", "::torch::operator<<"),
                   hasParameter(1, TensorParam));
  Finder->addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("<<"),
                                         callee(TensorStreamOperator),
                                         hasArgument(1, expr().bind(PrintedId)))
                         .bind(PrintId),
                     this);

  // torch::print(loss), at::print(std::cout, loss, 80)
  // FIXME: formatting through libtorch's own helpers (`c10::str(t)`, whose
  // `<<` runs inside the library's headers) is not seen.
  const auto PrintFunction =
      functionDecl(hasAnyName("::at::print", "::torch::print"),
                   hasAnyParameter(TensorParam));
  Finder->addMatcher(
      callExpr(callee(PrintFunction),
               hasAnyArgument(expr(tensorExpr()).bind(PrintedId)))
          .bind(PrintId),
      this);

  // fmt::print("loss {}\n", loss), fmt::format("{}", fmt::streamed(loss)),
  // fmt::format_to(out, "{}", fmt::arg("loss", loss)),
  // spdlog::info("step {} loss {}", step, loss), logger->warn("{}", loss),
  // std::format("{}", loss), std::print("{}", loss)
  // Any function of fmt or spdlog formats what it is given; a tensor can only
  // reach it through a formatter, the user's own or fmt::streamed's.
  // FIXME: tensors inside a container (`fmt::join(losses, ", ")`, a
  // `std::vector<torch::Tensor>` with fmt/ranges.h) or a struct of the user's
  // with its own formatter are not seen; neither is a format string with the
  // tensor stored in a `fmt::format_args` made elsewhere.
  const auto FormatWrapper = functionDecl(
      hasAnyName("::fmt::streamed", "::fmt::arg", "::fmt::styled"));
  const auto FormatFunction =
      functionDecl(formattingFunction(), unless(FormatWrapper));
  const auto FormattedTensor = ignoringImplicit(anyOf(
      tensorExpr(), callExpr(callee(FormatWrapper),
                             hasAnyArgument(ignoringImplicit(tensorExpr())))));
  Finder->addMatcher(
      callExpr(callee(FormatFunction),
               hasAnyArgument(expr(FormattedTensor).bind(PrintedId)))
          .bind(FormatId),
      this);
}

void SyncDeviceToHostCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Move = Result.Nodes.getNodeAs<CXXMemberCallExpr>(MoveId);
  const auto *Format = Result.Nodes.getNodeAs<CallExpr>(FormatId);
  const auto *Print =
      Format ? Format : Result.Nodes.getNodeAs<CallExpr>(PrintId);
  assert((Move || Print) && "every matcher binds a move, a print or a format");
  const Stmt &Where = Move ? static_cast<const Stmt &>(*Move) : *Print;

  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // With no accelerator anywhere in the program every tensor is on the CPU:
  // `cpu()` returns its object and printing reads host memory.
  if (!Model.mayUseAccelerator())
    return;

  std::optional<HotContext> Hot = Model.classify(Where);
  // Before or after the loop, or once per epoch: one copy costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: the copy is already amortized.
  if (Hot->isGated())
    return;
  // A call inside fmt or spdlog themselves (their bodies, when the library
  // is included with -I rather than as a system header, are followed from
  // the user's call), or inside a formatter's format(): the user's call is
  // reported.
  if (Format)
    if (const FunctionDecl *Caller = Model.enclosingFunction(*Format))
      if (isFormattingFunction(Caller))
        return;

  if (Move) {
    std::optional<DeviceMove> Info = asDeviceMove(*Move, *Result.Context);
    // to(dtype), to(other) with other not provably on the host, or a device
    // that is not provably the host: not a copy to the host, or not one we
    // can prove.
    if (!Info || Info->Target != DeviceTarget::Cpu)
      return;
    // h.cpu() where h is a host copy already, or was created on the host:
    // nothing to copy.
    if (isProvablyOnHost(Move->getImplicitObjectArgument(), *Result.Context))
      return;
    // to(kCPU, /*non_blocking=*/true) copies into pinned memory without
    // waiting; the program synchronizes later, where it reads the values.
    if (Info->NonBlockingParam) {
      FlagValue NonBlocking =
          flagArgument(*Move, *Info->NonBlockingParam, *Result.Context);
      if (NonBlocking == FlagValue::True || NonBlocking == FlagValue::Unknown)
        return;
    }
  } else {
    const auto *Printed = Result.Nodes.getNodeAs<Expr>(PrintedId);
    assert(Printed && "the print matchers bind the printed tensor");
    // std::cout << x.cpu(), or a variable holding such a copy: the copy is
    // reported at 'cpu()'; printing a host tensor does not synchronize.
    // fmt::streamed(x.cpu()) likewise.
    const Expr *Tensor = Printed->IgnoreImplicit();
    if (const auto *Wrapper = dyn_cast<CallExpr>(Tensor);
        Wrapper && !isTensorType(Wrapper->getType()))
      for (const Expr *Arg : Wrapper->arguments())
        if (isTensorType(Arg->getType())) {
          Tensor = Arg;
          break;
        }
    if (isProvablyOnHost(Tensor, *Result.Context))
      return;
  }

  if (Move) {
    const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId);
    assert(Member && "the move matcher binds the member");
    diag(Member->getMemberLoc(),
         "'%0()' copies the tensor to the host, which synchronizes with the "
         "device on every iteration of the %1; keep the tensor on the device, "
         "or copy it every N steps")
        << Member->getMemberDecl()->getName() << loopKindName(Hot->Kind);
  } else if (Format) {
    diag(Format->getExprLoc(),
         "formatting a tensor copies it to the host, which synchronizes with "
         "the device on every iteration of the %0; log it every N steps")
        << loopKindName(Hot->Kind);
  } else {
    diag(Print->getExprLoc(),
         "printing a tensor copies it to the host, which synchronizes with "
         "the device on every iteration of the %0; print it every N steps")
        << loopKindName(Hot->Kind);
  }
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
