//===--- LoopInvariantTensorCheck.cpp - torch-loop-invariant-tensor ---===//

#include "LoopInvariantTensorCheck.h"
#include "model/LoopFacts.h"
#include "model/Mutation.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral FactoryId = "factory";

/// \p Factory with the moves that follow it: `torch::ones({n}).to(device)`.
const Expr &withMoves(const CallExpr &Factory, const HotPathModel &Model) {
  const Expr *Whole = &Factory;
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    const auto *Member =
        dyn_cast_or_null<MemberExpr>(Model.writtenParentOf(*Whole));
    const auto *Call =
        Member ? dyn_cast_or_null<CXXMemberCallExpr>(Model.parentOf(*Member))
               : nullptr;
    if (!Call || bareTensorFactory(*Call) != &Factory)
      break;
    Whole = Call;
  }
  return *Whole;
}

/// The variable \p Whole initializes, when it does.
const VarDecl *initializedVariable(const Expr &Whole, const HotPathModel &Model) {
  const Stmt *User = Model.writtenParentOf(Whole);
  // `torch::Tensor t = ...` copies through a constructor before C++17.
  if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(User))
    User = Model.writtenParentOf(*Construct);
  const auto *DS = dyn_cast_or_null<DeclStmt>(User);
  if (!DS || !DS->isSingleDecl())
    return nullptr;
  return dyn_cast<VarDecl>(DS->getSingleDecl());
}
} // namespace

LoopInvariantTensorCheck::LoopInvariantTensorCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopInvariantTensorCheck::registerMatchers(MatchFinder *Finder) {
  // torch::zeros({4, 4}), torch::ones({n}, options), torch::full({n}, 0.5),
  // torch::tensor({1, 2}), torch::arange(n), torch::linspace(0, 1, n),
  // torch::eye(n), and the same in namespace at
  // FIXME: `torch::empty` (its contents are not a value), the `_like`
  // factories and `new_zeros` (they follow another tensor) are not seen.
  Finder->addMatcher(
      callExpr(callee(functionDecl(
                   hasAnyName("::torch::zeros", "::torch::ones", "::torch::full",
                              "::torch::tensor", "::torch::arange",
                              "::torch::linspace", "::torch::eye", "::at::zeros",
                              "::at::ones", "::at::full", "::at::tensor",
                              "::at::arange", "::at::linspace", "::at::eye"))),
               unless(isExpansionInSystemHeader()))
          .bind(FactoryId),
      this);
}

void LoopInvariantTensorCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Factory = Result.Nodes.getNodeAs<CallExpr>(FactoryId);
  assert(Factory && "the matcher binds the factory");
  ASTContext &Ctx = *Result.Context;
  const HotPathModel &Model = HotPathModel::get(Ctx);
  // A template's pattern: its instantiations are checked instead.
  if (Factory->isValueDependent())
    return;
  std::optional<HotContext> Hot = Model.classify(*Factory);
  // Before the loop, or once per epoch: one tensor costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)`: made every N steps only.
  if (Hot->isGated())
    return;
  const Expr &Whole = withMoves(*Factory, Model);

  // The region whose iterations (or calls) make the same tensor: the
  // outermost loop of its own function that leaves its arguments alone, or
  // the function's body when no loop of its own surrounds it.
  llvm::SmallVector<const Stmt *, 4> Loops = Model.enclosingLoops(*Factory);
  const Stmt *Region = nullptr;
  if (!Loops.empty()) {
    Region = outermostInvariantLoop(Whole, Loops, Ctx);
    // Its size, values or device change from one iteration to the next.
    if (!Region)
      return;
  } else {
    const FunctionDecl *Function = Model.enclosingFunction(*Factory);
    // Made once per call of a function that a parameter shapes: the
    // arguments may differ from call to call.
    if (!Function || !Function->getBody() ||
        !isInvariantIn(Whole, *Function->getBody(), Ctx))
      return;
    Region = Function->getBody();
  }
  // An operand of a larger invariant expression (`torch::ones({n, n}).triu(1)`):
  // torch-loop-invariant-forward reports the whole of it.
  if (const Expr *Operation = enclosingTensorOperation(Whole, Model))
    if (isInvariantIn(*Operation, *Region, Ctx))
      return;

  const FunctionDecl *Function = Model.enclosingFunction(*Factory);
  TensorValueUses Uses = tensorValueUses(
      Whole, Function && Function->getBody() ? *Function->getBody() : *Region,
      [&](const Stmt &S) { return Model.parentOf(S); });
  // Returned, moved, stored or captured: a tensor made once would be shared
  // by everything that keeps it.
  if (Uses.Escapes)
    return;
  // Creating a tensor costs on the CPU as well: whether the project uses an
  // accelerator does not matter.
  if (Hot->Deferred)
    Hot->Deferred->NeedsAccelerator = false;

  const std::string FactoryName =
      Factory->getDirectCallee()->getQualifiedNameAsString();
  const bool InLoop = !Loops.empty();
  if (Uses.WrittenInPlace) {
    // A per-step buffer, filled anew each time: reusing one is a change of
    // style that the noisier level proposes.
    if (!levelEnabled(CheckLevel::Level2))
      return;
    diag(Factory->getBeginLoc(),
         "'%0' allocates a buffer on every iteration of the %1 and writes "
         "into it; allocate one %select{outside the function|before the loop}2 "
         "and reset it in place on each iteration")
        << FactoryName << loopKindName(Hot->Kind) << InLoop;
  } else {
    diag(Factory->getBeginLoc(),
         "'%0' creates the same tensor on every iteration of the %1; create it "
         "once %select{and pass it in or keep it in a member|before the loop}2")
        << FactoryName << loopKindName(Hot->Kind) << InLoop;
  }

  // The declaration to hoist, spelled as written.
  const VarDecl *Var = initializedVariable(Whole, Model);
  const std::string HoistedName =
      Var ? Var->getNameAsString() : Factory->getDirectCallee()->getNameAsString();
  CharSourceRange Range = CharSourceRange::getTokenRange(Whole.getSourceRange());
  std::string Text;
  if (!involvesMacro(Whole))
    Text = Lexer::getSourceText(Range, *Result.SourceManager,
                                Ctx.getLangOpts())
               .str();
  SourceLocation NoteLoc = InLoop ? Region->getBeginLoc() : Factory->getBeginLoc();
  if (!Text.empty())
    diag(NoteLoc, "%select{made once, outside the function|%select{hoisted|"
                  "allocated}3 before this loop}0: '%select{const |}3"
                  "torch::Tensor %1 = %2;'",
         DiagnosticIDs::Note)
        << InLoop << HoistedName << Text << Uses.WrittenInPlace;
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
