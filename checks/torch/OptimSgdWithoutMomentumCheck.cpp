//===--- OptimSgdWithoutMomentumCheck.cpp - torch-optim-sgd-without-momentum
//===//

#include "OptimSgdWithoutMomentumCheck.h"
#include "model/TorchApi.h"
#include "model/TrainedModel.h"
#include "model/TrainingFeatures.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <functional>

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral OptimizerId = "optimizer";

bool isSgdOptions(const CXXRecordDecl *RD) {
  return isSameOrDerivedFrom(RD, "torch::optim::SGDOptions");
}

/// A call of SGDOptions' setter \p Name with one argument.
const CXXMemberCallExpr *sgdSetter(const Expr *E, llvm::StringRef Name) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(E);
  const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() || Call->getNumArgs() != 1 ||
      !isSgdOptions(MD->getParent()))
    return nullptr;
  return Name.empty() || MD->getName() == Name ? Call : nullptr;
}

/// Whether \p E is a literal zero: `0`, `0.0`, `0.f`.
bool isLiteralZero(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Float = dyn_cast<FloatingLiteral>(E))
    return Float->getValue().isZero();
  return boolLiteralValue(E) == false;
}

enum class Momentum { None, Set, Unknown };

/// Whether the SGD options \p E set a non-zero momentum: the chain of
/// setters on `SGDOptions(lr)`, or a learning rate alone (`SGD(params,
/// 0.1)` converts it to options with momentum 0).
Momentum momentumOf(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      if (!isSgdOptions(Construct->getConstructor()->getParent()))
        return Momentum::Unknown;
      // A copy of options made elsewhere.
      if (Construct->getConstructor()->isCopyOrMoveConstructor()) {
        if (Construct->getNumArgs() != 1)
          return Momentum::Unknown;
        E = Construct->getArg(0);
        continue;
      }
      return Momentum::None;
    }
    if (const CXXMemberCallExpr *Setter = sgdSetter(E, "")) {
      if (Setter->getMethodDecl()->getName() == "momentum")
        // A momentum from a variable is a choice the user made.
        return isLiteralZero(Setter->getArg(0)) ? Momentum::None
                                                : Momentum::Set;
      E = Setter->getImplicitObjectArgument();
      continue;
    }
    // Options from a variable, a parameter or a function.
    return Momentum::Unknown;
  }
  return Momentum::Unknown;
}

/// Whether \p Body sets a non-zero momentum on an optimizer's options after
/// construction: `static_cast<SGDOptions &>(opt.param_groups()[0].options())
/// .momentum(0.9)`, `static_cast<SGDOptions &>(opt.defaults()).momentum(m)`.
bool setsMomentumLater(const Stmt &Body) {
  if (const CXXMemberCallExpr *Setter =
          sgdSetter(dyn_cast<Expr>(&Body), "momentum"))
    if (!isLiteralZero(Setter->getArg(0))) {
      const auto *Object = dyn_cast<CallExpr>(
          Setter->getImplicitObjectArgument()->IgnoreParenCasts());
      const FunctionDecl *FD = Object ? Object->getDirectCallee() : nullptr;
      if (FD && FD->getDeclName().isIdentifier() &&
          (FD->getName() == "options" || FD->getName() == "defaults"))
        return true;
    }
  for (const Stmt *Child : Body.children())
    if (Child && setsMomentumLater(*Child))
      return true;
  return false;
}

/// A step of \p Optimizer in a training loop: in \p Body, or, one call
/// deep, in a function of the unit that \p Body hands the optimizer to.
/// The loop, when there is one.
const Stmt *trainingLoopStepping(const ValueDecl &Optimizer, const Stmt &Body,
                                 const HotPathModel &Model, unsigned Depth) {
  for (const CXXMemberCallExpr *Step : optimizerStepsIn(Body, &Optimizer))
    for (const Stmt *Loop : Model.enclosingLoops(*Step))
      if (Model.loopKind(*Loop) == LoopKind::Training)
        return Loop;
  if (Depth == 0)
    return nullptr;
  const Stmt *Found = nullptr;
  std::function<void(const Stmt &)> Visit = [&](const Stmt &S) {
    if (Found)
      return;
    if (const auto *Call = dyn_cast<CallExpr>(&S))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        const FunctionDecl *Def = nullptr;
        if (Callee->getBody(Def) && Def)
          for (unsigned I = 0;
               I < Call->getNumArgs() && I < Def->getNumParams() && !Found; ++I)
            if (namedDeclOf(Call->getArg(I)) == &Optimizer)
              Found = trainingLoopStepping(*Def->getParamDecl(I),
                                           *Def->getBody(), Model, Depth - 1);
      }
    for (const Stmt *Child : S.children())
      if (Child && !isa<LambdaExpr>(Child))
        Visit(*Child);
  };
  Visit(Body);
  return Found;
}

} // namespace

OptimSgdWithoutMomentumCheck::OptimSgdWithoutMomentumCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimSgdWithoutMomentumCheck::registerMatchers(MatchFinder *Finder) {
  // torch::optim::SGD optimizer(model->parameters(), 0.01);
  // auto optimizer = torch::optim::SGD(params, torch::optim::SGDOptions(lr));
  // FIXME: an optimizer that is a member of a trainer class, or made with
  // std::make_unique, is not looked at.
  Finder->addMatcher(
      varDecl(hasLocalStorage(),
              hasType(cxxRecordDecl(hasName("::torch::optim::SGD"))),
              unless(parmVarDecl()), unless(isExpansionInSystemHeader()))
          .bind(OptimizerId),
      this);
}

void OptimSgdWithoutMomentumCheck::check(
    const MatchFinder::MatchResult &Result) {
  const auto *Optimizer = Result.Nodes.getNodeAs<VarDecl>(OptimizerId);
  assert(Optimizer && "the matcher binds the optimizer");
  const CXXConstructExpr *Construct = constructionOf(Optimizer);
  // A copy of another optimizer, or no construction at hand.
  if (!Construct || Construct->getNumArgs() < 2)
    return;
  // Momentum set, or options from elsewhere that may set it.
  if (momentumOf(Construct->getArg(1)) != Momentum::None)
    return;
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  const FunctionDecl *Function = Model.enclosingFunction(*Construct);
  if (!Function || !Function->getBody())
    return;
  // The options get a momentum after construction.
  if (setsMomentumLater(*Function->getBody()))
    return;
  // An optimizer that drives no training loop (a test, a fine-tuning
  // step run once) is not worth a momentum buffer.
  const Stmt *Loop = trainingLoopStepping(*Optimizer, *Function->getBody(),
                                          Model, /*Depth=*/1);
  if (!Loop)
    return;
  diag(Optimizer->getLocation(),
       "SGD optimizer '%0' has no momentum, so each step follows the current "
       "batch's gradient alone and training needs more steps to converge; set "
       "one in its options ('torch::optim::SGDOptions(lr).momentum(0.9)') or "
       "use 'torch::optim::Adam'")
      << Optimizer->getName();
  diag(Loop->getBeginLoc(), "training loop that it steps starts here",
       DiagnosticIDs::Note);
}

} // namespace trainlint::torch
