//===--- LoopPerSampleForwardCheck.cpp - torch-loop-per-sample-forward ---===//

#include "LoopPerSampleForwardCheck.h"
#include "model/LoopFacts.h"
#include "model/Mutation.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "call";

/// The first access in \p S of a tensor's sample: an integer index into
/// its first dimension (`batch[i]`, `batch.select(0, i)`,
/// `batch.index({i})`, `batch.narrow(0, i, 1)`) that mentions \p Counter.
/// A local variable declared in \p Loop (`auto x = batch[i].to(device);`)
/// is followed to its initializer, \p Depth variables deep.
const ElementAccess *findSampleAccess(const Stmt *S, const VarDecl &Counter,
                                      const Stmt &Loop, const ASTContext &Ctx,
                                      std::optional<ElementAccess> &Out,
                                      unsigned Depth = 0) {
  if (!S)
    return nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (VD && VD->hasLocalStorage() && VD->getInit() && Depth < 3 &&
        Ctx.getSourceManager().isPointWithin(
            VD->getLocation(), Loop.getBeginLoc(), Loop.getEndLoc()))
      return findSampleAccess(VD->getInit(), Counter, Loop, Ctx, Out,
                              Depth + 1);
    return nullptr;
  }
  if (const auto *E = dyn_cast<Expr>(S))
    if (std::optional<ElementAccess> Access = asElementAccess(*E, Ctx))
      if (Access->FirstDim == 0 && !Access->Indices.empty() &&
          mentionsVariable(Access->Indices.front(), Counter) &&
          // `x[t][b]` indexes a sample of the row `x[t]`: look inside.
          !asElementAccess(*Access->Tensor, Ctx)) {
        Out = std::move(Access);
        return &*Out;
      }
  for (const Stmt *Child : S->children())
    if (const ElementAccess *Found =
            findSampleAccess(Child, Counter, Loop, Ctx, Out, Depth))
      return Found;
  return nullptr;
}

/// Whether \p S reads a variable, other than \p Counter, that is declared
/// outside \p Loop and changed inside it: a state carried from one
/// iteration to the next (`h = cell(x[t], h)`).
bool readsCarriedState(const Stmt *S, const VarDecl &Counter, const Stmt &Loop,
                       const SourceManager &SM) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->getCanonicalDecl() != Counter.getCanonicalDecl() &&
          VD->hasLocalStorage() &&
          !SM.isPointWithin(VD->getLocation(), Loop.getBeginLoc(),
                            Loop.getEndLoc()) &&
          isModifiedIn(*VD, Loop))
        return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return readsCarriedState(Child, Counter, Loop, SM);
  });
}

std::string sourceText(const Expr &E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E.getSourceRange()), SM,
      Ctx.getLangOpts());
  llvm::StringRef Text =
      Range.isValid() ? Lexer::getSourceText(Range, SM, Ctx.getLangOpts())
                      : llvm::StringRef();
  if (Text.empty() || Text.size() > 40 || Text.contains('\n'))
    return "the batch";
  return "'" + Text.str() + "'";
}
} // namespace

LoopPerSampleForwardCheck::LoopPerSampleForwardCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopPerSampleForwardCheck::registerMatchers(MatchFinder *Finder) {
  // model->forward(batch[i]), net.forward(x.select(0, i).unsqueeze(0))
  // FIXME: a TorchScript module's forward(std::vector<IValue>), whose
  // inputs are pushed into a vector first, is not seen.
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("forward"))))
          .bind(CallId),
      this);
  // model(batch[i]), through the module holder's operator()
  // FIXME: a module called through std::function or a user's wrapper is
  // not seen.
  Finder->addMatcher(
      cxxOperatorCallExpr(
          hasOverloadedOperatorName("()"),
          callee(cxxMethodDecl(
              ofClass(cxxRecordDecl(hasName("::torch::nn::ModuleHolder"))))))
          .bind(CallId),
      this);
}

void LoopPerSampleForwardCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  assert(Call && "every matcher binds the call");
  ASTContext &Ctx = *Result.Context;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  // A forward() of something that is not a module (a user's wrapper class
  // may batch inside).
  if (!MD || !isModuleClass(MD->getParent()))
    return;
  const HotPathModel &Model = HotPathModel::get(Ctx);
  llvm::SmallVector<const Stmt *, 4> Loops = Model.enclosingLoops(*Call);
  // Outside a loop: one call.
  if (Loops.empty())
    return;
  const Expr *Module = isa<CXXOperatorCallExpr>(Call)
                           ? Call->getArg(0)
                           : cast<CXXMemberCallExpr>(Call)
                                 ->getImplicitObjectArgument();
  unsigned FirstArg = isa<CXXOperatorCallExpr>(Call) ? 1 : 0;

  for (const Stmt *Loop : Loops) {
    std::optional<LoopCounter> Counter = loopCounterOf(*Loop, Ctx);
    // A loop that counts nothing indexes no sample.
    if (!Counter)
      continue;
    // `heads[k]->forward(x[k])`: a different module on each iteration,
    // which one call cannot replace.
    if (Module && mentionsVariable(Module, *Counter->Var))
      return;
    // One or two iterations: nothing worth batching.
    if (Counter->TripCount && *Counter->TripCount < 2)
      continue;
    std::optional<ElementAccess> Storage;
    const ElementAccess *Sample = nullptr;
    for (unsigned I = FirstArg; I < Call->getNumArgs() && !Sample; ++I)
      Sample = findSampleAccess(Call->getArg(I), *Counter->Var, *Loop, Ctx,
                                Storage);
    // The loop's counter picks no sample of a batch here.
    if (!Sample)
      continue;
    // An RNN cell stepped over time, `h = cell(x[t], h)`: each call needs
    // the previous one's result.
    for (unsigned I = FirstArg; I < Call->getNumArgs(); ++I)
      if (readsCarriedState(Call->getArg(I), *Counter->Var, *Loop,
                            Ctx.getSourceManager()))
        return;
    // The same call seen in a template's pattern and its instantiations.
    if (!Reported.insert(Call->getExprLoc().getRawEncoding()).second)
      return;

    std::optional<HotContext> Hot = Model.classify(*Call, Deferral::Forbid);
    // The per-sample loop is an evaluation loop itself, when nothing else
    // around it is: name the loop around it only.
    bool NameHot =
        Hot && !Hot->isGated() && !Hot->Deferred && Hot->Loop != Loop;
    SourceLocation Loc = isa<CXXOperatorCallExpr>(Call)
                             ? Call->getArg(0)->getBeginLoc()
                             : cast<CXXMemberCallExpr>(Call)->getExprLoc();
    // In a macro's body, on the line that expands it.
    Loc = Ctx.getSourceManager().getFileLoc(Loc);
    std::string Where =
        NameHot ? ", on every iteration of the " + loopKindName(Hot->Kind).str()
                : "";
    diag(Loc, "the module runs once per sample of %0%1; call it once on the "
              "whole batch")
        << sourceText(*ignoreUnwritten(Sample->Tensor), Ctx) << Where;
    diag(Loop->getBeginLoc(), "the loop over '%0' takes one sample at a time",
         DiagnosticIDs::Note)
        << Counter->Var->getName();
    if (NameHot)
      noteHotContext(*Hot);
    return;
  }
}

} // namespace trainlint::torch
