//===--- OptimTrainEvalModeCheck.cpp - torch-optim-train-eval-mode ---===//

#include "OptimTrainEvalModeCheck.h"
#include "model/EvaluationCode.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral FunctionId = "function";

/// The variable, parameter or member at the root of \p E: `model` in
/// `model->encoder->forward(x)`.
const ValueDecl *rootOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return Ref->getDecl();
    if (const auto *Member = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()))
        return Member->getMemberDecl();
      E = Member->getBase();
      continue;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      E = Op->getNumArgs() > 0 ? Op->getArg(0) : nullptr;
      continue;
    }
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
      E = Call->getImplicitObjectArgument();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

/// The module object a forward call runs.
const Expr *moduleObjectOf(const CallExpr &Call) {
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    return Member->getImplicitObjectArgument();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call))
    return Op->getNumArgs() > 0 ? Op->getArg(0) : nullptr;
  return nullptr;
}

/// Whether \p D holds a module that its function does not make: a
/// parameter, a member, a global. Its mode is whatever the code that made
/// it left.
bool comesFromOutside(const ValueDecl *D) {
  if (!D)
    return true;
  if (isa<ParmVarDecl, FieldDecl>(D))
    return true;
  if (const auto *Var = dyn_cast<VarDecl>(D))
    return Var->hasGlobalStorage() || Var->getType()->isReferenceType();
  return true;
}
} // namespace

OptimTrainEvalModeCheck::OptimTrainEvalModeCheck(llvm::StringRef Name,
                                                 tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimTrainEvalModeCheck::registerMatchers(MatchFinder *Finder) {
  // void evaluate(Net &model, Loader &loader) { for (auto &b : loader) ... }
  // int main() { for (epoch...) { for (b : train) ...; model->eval(); ... } }
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(compoundStmt()),
                                  unless(isExpansionInSystemHeader()))
                         .bind(FunctionId),
                     this);
}

/// The first forward call written in \p Loop whose module may compute
/// differently by mode, with the reason; null when every module written
/// there ignores the mode, and \p Loop itself when it runs no module of its
/// own (the modules are in the functions it calls: unknown, so maybe).
static const Stmt *modalForward(const Stmt &Loop, std::string &Why) {
  llvm::SmallVector<const CallExpr *, 2> Calls = forwardCallsIn(Loop);
  if (Calls.empty())
    return &Loop;
  for (const CallExpr *Call : Calls)
    if (mayBehaveDifferentlyInTraining(forwardedModule(*Call), &Why))
      return Call;
  return nullptr;
}

void OptimTrainEvalModeCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>(FunctionId);
  assert(Function && "the matcher binds the function");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // A module's methods are the model: they run in whichever mode its user
  // chose.
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Function))
    if (isModuleClass(Method->getParent()))
      return;
  // Part of a training step: its loops are that step's.
  if (std::optional<HotContext> Hot =
          Model.classify(*Function->getBody(), Deferral::Forbid))
    if (Hot->Kind == LoopKind::Training)
      return;
  std::vector<GraphCall> Calls = Model.callsTo(*Function).first;

  // An evaluation loop whose module no eval() reached.
  for (const Stmt *Loop : outermostLoops(*Function, Model, LoopKind::Evaluation)) {
    if (Model.signalsIn(*Loop) & (EvalModeSignal | TrainModeSignal))
      continue; // it sets the mode itself
    std::string Why;
    const Stmt *Forward = modalForward(*Loop, Why);
    if (!Forward || Forward == Loop)
      continue; // its modules ignore the mode, or it runs none of its own
    ModeSetting Mode = Model.modeBefore(*Loop);
    if (Mode.Mode == ModuleMode::Eval || (Mode.Where && Mode.Mode != ModuleMode::Train))
      continue; // eval() before it, or train(flag): the run decides
    if (Mode.Mode == ModuleMode::Unknown) {
      // The callers set the mode.
      if (!Calls.empty() && llvm::all_of(Calls, [](const GraphCall &C) {
            return C.ModeBefore == ModuleMode::Eval;
          }))
        continue;
      // A module handed in keeps the mode its callers' callers chose, in
      // files this unit may not see: only a caller known to leave it in
      // training mode proves the finding.
      if (comesFromOutside(rootOf(moduleObjectOf(*cast<CallExpr>(Forward)))) &&
          llvm::none_of(Calls, [](const GraphCall &C) {
            return C.ModeBefore == ModuleMode::Train;
          }))
        continue;
    }
    diag(Loop->getBeginLoc(),
         "evaluation loop runs the model in training mode: dropout stays on "
         "and batch normalization normalizes with each batch's statistics and "
         "updates its running ones; call 'eval()' on the model before the loop");
    diag(Forward->getBeginLoc(),
         "'%0' may compute differently in training mode (dropout, batch "
         "normalization)",
         DiagnosticIDs::Note)
        << Why;
    if (Mode.Where)
      diag(Mode.Where->getBeginLoc(), "the model is put in training mode here",
           DiagnosticIDs::Note);
  }

  // A training loop that runs after eval() with no train() in between.
  for (const Stmt *Loop :
       outermostLoops(*Function, Model, LoopKind::Training)) {
    if (Model.signalsIn(*Loop) & TrainModeSignal)
      continue; // it sets training mode itself
    std::string Why;
    if (!modalForward(*Loop, Why))
      continue; // its modules ignore the mode
    ModeSetting Mode = Model.modeBefore(*Loop);
    if (Mode.Mode == ModuleMode::Eval) {
      diag(Loop->getBeginLoc(),
           "training loop runs after 'eval()' with no 'train()' in between: "
           "dropout is off and batch normalization freezes its statistics "
           "while the model trains; call 'train()' on the model before the "
           "loop");
      diag(Mode.Where->getBeginLoc(),
           "the model is put in evaluation mode here", DiagnosticIDs::Note);
      continue;
    }
    if (Mode.Mode != ModuleMode::Unknown || Mode.Where)
      continue; // train() before it, or train(flag)
    // A caller that reaches it after eval(): an epoch loop that evaluates
    // after training.
    auto AfterEval = llvm::find_if(Calls, [](const GraphCall &C) {
      return C.ModeBefore == ModuleMode::Eval;
    });
    if (AfterEval == Calls.end())
      continue;
    diag(Loop->getBeginLoc(),
         "training loop runs after 'eval()' with no 'train()' in between: "
         "'%0' is called after the model is put in evaluation mode, so "
         "dropout is off and batch normalization freezes its statistics "
         "while the model trains; call 'train()' on the model before the "
         "loop")
        << Function->getNameAsString();
  }
}

} // namespace trainlint::torch
