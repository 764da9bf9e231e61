//===--- SyncItemCheck.cpp - torch-sync-item ---===//

#include "SyncItemCheck.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral MemberId = "member";
} // namespace

SyncItemCheck::SyncItemCheck(llvm::StringRef Name,
                             tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncItemCheck::registerMatchers(MatchFinder *Finder) {
  // loss.item<float>(), loss.item().toFloat(), mask.any().is_nonzero(),
  // a.equal(b), a.allclose(b)
  const auto ValueReadingMethod = cxxMethodDecl(
      hasAnyName("item", "is_nonzero", "equal", "allclose"),
      ofClass(tensorClass()));
  Finder->addMatcher(
      cxxMemberCallExpr(callee(ValueReadingMethod),
                        callee(memberExpr().bind(MemberId)))
          .bind(CallId),
      this);

  // torch::equal(a, b), torch::allclose(a, b), at::_local_scalar_dense(t)
  // FIXME: a tensor converted implicitly through a user-defined conversion
  // operator of the user's own class is not seen.
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName("::at::equal", "::at::allclose",
                                              "::at::_local_scalar_dense",
                                              "::at::is_nonzero"))))
          .bind(CallId),
      this);

  // x[idx] with a tensor index reads the index with item().
  Finder->addMatcher(
      cxxOperatorCallExpr(
          hasOverloadedOperatorName("[]"),
          callee(cxxMethodDecl(ofClass(tensorClass()),
                               hasParameter(0, hasType(references(
                                                   tensorClass()))))))
          .bind(CallId),
      this);
}

void SyncItemCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  assert(Call && "every matcher binds the call");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // With no accelerator anywhere in the program, every tensor is on the CPU
  // and reading a value is a plain load.
  if (!Model.mayUseAccelerator())
    return;
  std::optional<HotContext> Hot = Model.classify(*Call);
  // Before or after the loop, or once per epoch: a single read costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: the read is already amortized.
  if (Hot->isGated())
    return;

  SourceLocation Loc = Call->getBeginLoc();
  std::string What;
  if (const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId)) {
    Loc = Member->getMemberLoc();
    What = "'" + Member->getMemberDecl()->getNameAsString() + "()'";
  } else if (isa<CXXOperatorCallExpr>(Call)) {
    Loc = Call->getExprLoc();
    What = "indexing with a tensor";
  } else {
    What = "'" + Call->getDirectCallee()->getQualifiedNameAsString() + "()'";
  }
  diag(Loc, "%0 reads a tensor's value on the host, which synchronizes with "
            "the device on every iteration of the %1; keep the value on the "
            "device and read it every N steps")
      << What << loopKindName(Hot->Kind);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
