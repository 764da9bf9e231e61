//===--- LoopCatAccumulateCheck.cpp - torch-loop-cat-accumulate ---===//

#include "LoopCatAccumulateCheck.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral AssignId = "assign";
constexpr llvm::StringLiteral CatId = "cat";
constexpr llvm::StringLiteral TargetId = "target";

/// The tensors that the list argument of a `cat` spells out: `{x, y}`,
/// `std::vector<torch::Tensor>{x, y}`, `std::vector<torch::Tensor>({x, y})`;
/// empty when the list is a variable or built elsewhere.
llvm::SmallVector<const Expr *, 4> listedTensors(const Expr *List) {
  for (unsigned Depth = 0; List && Depth < 10; ++Depth) {
    List = List->IgnoreParenImpCasts();
    if (const auto *Init = dyn_cast<InitListExpr>(List))
      return {Init->inits().begin(), Init->inits().end()};
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(List)) {
      if (Construct->getNumArgs() == 0)
        break;
      List = Construct->getArg(0);
    } else if (const auto *Std = dyn_cast<CXXStdInitializerListExpr>(List)) {
      List = Std->getSubExpr();
    } else if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(List)) {
      List = Temp->getSubExpr();
    } else if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(List)) {
      List = Bind->getSubExpr();
    } else if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(List)) {
      List = Cast->getSubExpr();
    } else if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(List)) {
      List = Cleanups->getSubExpr();
    } else {
      break;
    }
  }
  return {};
}

/// Whether \p E is the variable or member \p Target itself, not a part of
/// it (`x.slice(0, 1)` keeps a window of fixed size, which does not grow).
bool isWhole(const Expr *E, const ValueDecl &Target) {
  E = ignoreUnwritten(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl()->getCanonicalDecl() == Target.getCanonicalDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl()->getCanonicalDecl() ==
               Target.getCanonicalDecl() &&
           isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
  return false;
}

/// Whether \p Target outlives one call of its function: a member, a global,
/// a static local, or a parameter taken by reference.
bool outlivesCall(const ValueDecl &Target) {
  if (isa<FieldDecl>(Target))
    return true;
  const auto *Var = dyn_cast<VarDecl>(&Target);
  return Var && (Var->hasGlobalStorage() || Var->isStaticLocal() ||
                 (isa<ParmVarDecl>(Var) && Var->getType()->isReferenceType()));
}

bool declaredInside(const ValueDecl &Target, const Stmt &Loop,
                    const SourceManager &SM) {
  return isa<VarDecl>(Target) && !cast<VarDecl>(Target).hasGlobalStorage() &&
         SM.isPointWithin(Target.getLocation(), Loop.getBeginLoc(),
                          Loop.getEndLoc());
}
} // namespace

LoopCatAccumulateCheck::LoopCatAccumulateCheck(llvm::StringRef Name,
                                               tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopCatAccumulateCheck::registerMatchers(MatchFinder *Finder) {
  // torch::cat({x, y}), at::cat({y, x}, 1), torch::stack(...),
  // torch::concat(std::vector<torch::Tensor>{x, y})
  // FIXME: `torch::cat(parts)` with a vector that holds the target itself,
  // and `x = torch::cat({x, y}).to(device)`, are not seen.
  const auto Concatenation =
      callExpr(callee(functionDecl(hasAnyName("::at::cat", "::at::concat",
                                              "::at::concatenate",
                                              "::at::stack"))),
               argumentCountAtLeast(1))
          .bind(CatId);
  // x = ..., history_ = ..., acc = ... (a reference parameter)
  // FIXME: `auto y = torch::cat({x, part}); x = y;` goes through a second
  // variable and is not seen.
  const auto Target =
      expr(ignoringParenImpCasts(anyOf(declRefExpr(to(varDecl().bind(TargetId))),
                                       memberExpr(member(fieldDecl().bind(TargetId))))));
  Finder->addMatcher(
      cxxOperatorCallExpr(hasOverloadedOperatorName("="), argumentCountIs(2),
                          hasArgument(0, Target),
                          hasArgument(1, ignoringImplicit(Concatenation)),
                          unless(isExpansionInSystemHeader()))
          .bind(AssignId),
      this);
}

void LoopCatAccumulateCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Assign = Result.Nodes.getNodeAs<CXXOperatorCallExpr>(AssignId);
  const auto *Cat = Result.Nodes.getNodeAs<CallExpr>(CatId);
  const auto *Target = Result.Nodes.getNodeAs<ValueDecl>(TargetId);
  assert(Assign && Cat && Target && "the matcher binds all three");
  // A tensor assigned from its own concatenation with other tensors; any
  // other variable is a fresh tensor built from per-iteration parts.
  if (!isTensorType(Target->getType()))
    return;
  llvm::SmallVector<const Expr *, 4> Parts = listedTensors(Cat->getArg(0));
  if (Parts.size() < 2 ||
      !llvm::any_of(Parts, [&](const Expr *P) { return isWhole(P, *Target); }))
    return;

  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  const std::string Name = Target->getNameAsString();
  const std::string Op = Cat->getDirectCallee()->getNameAsString();

  // The innermost loop of the function that the target outlives: each of
  // its iterations copies everything the earlier ones gathered.
  const Stmt *GrowingLoop = nullptr;
  for (const Stmt *Loop : Model.enclosingLoops(*Assign))
    if (!declaredInside(*Target, *Loop, SM)) {
      GrowingLoop = Loop;
      break;
    }
  if (GrowingLoop) {
    // Under `if (step % N == 0)`: it grows by one part every N iterations
    // and stays small.
    if (Model.isRareIn(*Assign, *GrowingLoop))
      return;
    diag(Cat->getBeginLoc(),
         "'%0' copies all of '%1' to append to it on every iteration, which "
         "takes time quadratic in the number of iterations; collect the "
         "parts in a 'std::vector<torch::Tensor>' and concatenate them once "
         "after the loop")
        << Op << Name;
    diag(GrowingLoop->getBeginLoc(), "'%0' grows on each iteration of this loop",
         DiagnosticIDs::Note)
        << Name;
    return;
  }

  // No loop of its own: a member or a reference that a helper grows on
  // every call, when the helper is on the hot path.
  if (!outlivesCall(*Target))
    return; // a local that starts afresh on every call
  std::optional<HotContext> Hot = Model.classify(*Assign);
  // Not called from a hot loop: it grows once per call of something rare.
  if (!Hot)
    return;
  // Called every N steps: it grows slowly.
  if (Hot->isGated())
    return;
  // Growth costs on the CPU as well: whether the project uses an
  // accelerator does not matter.
  if (Hot->Deferred)
    Hot->Deferred->NeedsAccelerator = false;
  diag(Cat->getBeginLoc(),
       "'%0' copies all of '%1' to append to it on every iteration of the "
       "%2, which takes time quadratic in the number of steps; collect the "
       "parts in a 'std::vector<torch::Tensor>' and concatenate them once "
       "when the whole is needed")
      << Op << Name << loopKindName(Hot->Kind);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
