//===--- OptimEvalWithoutNoGradCheck.cpp - torch-optim-eval-without-no-grad ---===//

#include "OptimEvalWithoutNoGradCheck.h"
#include "model/EvaluationCode.h"
#include "model/TorchApi.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral FunctionId = "function";
constexpr llvm::StringLiteral GuardName = "no_grad";

/// Whether \p Body mentions or declares anything named `no_grad`, which the
/// inserted guard would clash with or shadow.
class NameUse : public RecursiveASTVisitor<NameUse> {
public:
  bool Found = false;
  bool VisitNamedDecl(NamedDecl *D) { return check(D); }
  bool VisitDeclRefExpr(DeclRefExpr *E) { return check(E->getDecl()); }
  bool VisitMemberExpr(MemberExpr *E) { return check(E->getMemberDecl()); }

private:
  bool check(const NamedDecl *D) {
    if (D && D->getDeclName().isIdentifier() && D->getName() == GuardName)
      Found = true;
    return !Found;
  }
};

bool usesGuardName(const FunctionDecl &Function) {
  NameUse Use;
  for (const ParmVarDecl *Param : Function.parameters())
    Use.TraverseDecl(const_cast<ParmVarDecl *>(Param));
  Use.TraverseStmt(const_cast<Stmt *>(Function.getBody()));
  return Use.Found;
}

/// Whether `torch::NoGradGuard` names a type in this unit, so that the
/// inserted declaration compiles.
bool declaresTorchNoGradGuard(ASTContext &Ctx) {
  for (const NamedDecl *Torch :
       Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get("torch")))
    if (const auto *NS = dyn_cast<NamespaceDecl>(Torch))
      if (!NS->lookup(&Ctx.Idents.get("NoGradGuard")).empty())
        return true;
  return false;
}

/// The indentation of the line that holds \p Loc, when only blanks precede
/// \p Loc on it.
std::optional<std::string> indentationAt(SourceLocation Loc,
                                         const SourceManager &SM) {
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  llvm::StringRef Buffer = SM.getBufferData(File);
  size_t LineStart = Buffer.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  llvm::StringRef Before = Buffer.slice(LineStart, Offset);
  if (!Before.trim(" \t").empty())
    return std::nullopt;
  return Before.str();
}

/// A function whose result a caller cannot backpropagate through: it
/// returns nothing, a number or a flag.
bool returnsNoTensor(const FunctionDecl &Function) {
  QualType T = Function.getReturnType();
  return T->isVoidType() || T->isArithmeticType();
}

} // namespace

OptimEvalWithoutNoGradCheck::OptimEvalWithoutNoGradCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimEvalWithoutNoGradCheck::registerMatchers(MatchFinder *Finder) {
  // void evaluate(Net &model, Loader &loader) { for (auto &b : loader) ... }
  // FIXME: lambdas that evaluate are part of the function that holds them.
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(compoundStmt()),
                                  unless(isExpansionInSystemHeader()))
                         .bind(FunctionId),
                     this);
}

std::optional<FixItHint>
OptimEvalWithoutNoGradCheck::guardAtStart(const CompoundStmt &Block,
                                          const FunctionDecl &Function,
                                          ASTContext &Ctx) const {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Brace = Block.getLBracLoc();
  if (Brace.isMacroID() || !declaresTorchNoGradGuard(Ctx) ||
      usesGuardName(Function))
    return std::nullopt;
  std::string Guard = "torch::NoGradGuard " + GuardName.str() + ";";
  if (!Block.body_empty()) {
    SourceLocation First = Block.body_front()->getBeginLoc();
    if (First.isMacroID())
      return std::nullopt;
    if (SM.getSpellingLineNumber(First) != SM.getSpellingLineNumber(Brace))
      if (std::optional<std::string> Indent = indentationAt(First, SM))
        return FixItHint::CreateInsertion(
            First.getLocWithOffset(-static_cast<int>(Indent->size())),
            *Indent + Guard + "\n");
  }
  return FixItHint::CreateInsertion(Brace.getLocWithOffset(1), " " + Guard);
}

void OptimEvalWithoutNoGradCheck::report(SourceLocation Loc, Where GuardGoes,
                                         llvm::StringRef FunctionName,
                                         const std::optional<FixItHint> &Fix,
                                         const Lack &L) {
  {
    auto D = diag(Loc, "%select{'%1' runs|evaluation loop runs}0 forward "
                       "passes with gradient recording on, building an "
                       "autograd graph %select{|on every iteration }0that no "
                       "backward uses; turn recording off with "
                       "'torch::NoGradGuard' %select{at its start|at the "
                       "start of '%1'|in the loop}2");
    D << (GuardGoes == Where::Function ? 0 : 1) << FunctionName
      << static_cast<int>(GuardGoes);
    if (Fix)
      D << *Fix;
  }
  noteLack(L);
}

void OptimEvalWithoutNoGradCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>(FunctionId);
  assert(Function && "the matcher binds the function");
  ASTContext &Ctx = *Result.Context;
  const HotPathModel &Model = HotPathModel::get(Ctx);
  const auto *Body = cast<CompoundStmt>(Function->getBody());
  // A module's methods are the model itself: its forward runs in training
  // and in evaluation alike.
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Function))
    if (isModuleClass(Method->getParent()))
      return;
  unsigned Does = Model.signalsOf(*Function);
  if (!(Does & ForwardSignal))
    return;
  // Gradients of the inputs are what the forward pass is for.
  if (asksForInputGradients(*Body))
    return;
  // Called from a training step: what it computes feeds that step's
  // backward.
  if (std::optional<HotContext> Hot = Model.classify(*Body, Deferral::Forbid))
    if (Hot->Kind == LoopKind::Training)
      return;
  // Every call that the unit sees turns recording off around it: the
  // program guards its evaluation at the call sites.
  auto [Calls, Complete] = Model.callsTo(*Function);
  (void)Complete;
  if (!Calls.empty() && llvm::all_of(Calls, [](const GraphCall &C) {
        return C.UnderNoGrad;
      }))
    return;

  llvm::SmallVector<const Stmt *, 2> Loops =
      outermostLoops(*Function, Model, LoopKind::Evaluation);
  std::string Name = Function->getNameAsString();
  if (Loops.empty()) {
    // A forward pass outside loops: an evaluation function by its name or
    // by its eval() call.
    if (!namedLikeEvaluation(Name) && !(Does & EvalModeSignal))
      return;
    if (Does & NoGradSignal)
      return;
    std::optional<Lack> L =
        Model.lacks(nullptr, Function, ForwardSignal, TrainingSignals);
    if (!L)
      return;
    std::optional<FixItHint> Fix;
    if (returnsNoTensor(*Function))
      Fix = guardAtStart(*Body, *Function, Ctx);
    report(Function->getLocation(), Where::Function, Name, Fix, *L);
    return;
  }

  // A function that trains elsewhere gets the guard in each evaluation
  // loop; one that only evaluates gets it once, at its start.
  bool Trains = Does & TrainingSignals;
  if (Trains &&
      (Model.signalsOutsideTrainingLoops(*Function) & TrainingSignals))
    return; // a backward outside the training loops may use these forwards
  for (const Stmt *Loop : Loops) {
    if ((Model.signalsIn(*Loop) & NoGradSignal) ||
        noGradGuardInScope(*Loop, Model))
      continue;
    std::optional<Lack> L =
        Model.lacks(Loop, nullptr, ForwardSignal, TrainingSignals);
    if (!L)
      continue;
    std::optional<FixItHint> Fix;
    if (!Trains && returnsNoTensor(*Function))
      Fix = guardAtStart(*Body, *Function, Ctx);
    else if (Trains)
      if (const auto *LoopBody = dyn_cast_or_null<CompoundStmt>(
              isa<ForStmt>(Loop)            ? cast<ForStmt>(Loop)->getBody()
              : isa<CXXForRangeStmt>(Loop) ? cast<CXXForRangeStmt>(Loop)->getBody()
              : isa<WhileStmt>(Loop)       ? cast<WhileStmt>(Loop)->getBody()
                                           : cast<DoStmt>(Loop)->getBody()))
        Fix = guardAtStart(*LoopBody, *Function, Ctx);
    report(Loop->getBeginLoc(), Trains ? Where::Loop : Where::FunctionOfLoop,
           Name, Fix, *L);
    // One finding for a function that only evaluates: one guard covers it.
    if (!Trains)
      return;
  }
}

} // namespace trainlint::torch
