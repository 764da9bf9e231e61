//===--- TrainedModel.cpp - what a training loop trains, and with what ----===//

#include "TrainedModel.h"
#include "LoopFacts.h"
#include "TorchApi.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace trainlint {

using namespace clang;

bool mayTrainIn(const Stmt &Loop, const HotPathModel &Model) {
  return Model.lacks(&Loop, nullptr, TrainingSignals, NoSignal).has_value();
}

/// Whether a loop nested in \p S (lambdas excluded) may train.
static bool nestedLoopMayTrain(const Stmt &S, const HotPathModel &Model) {
  for (const Stmt *Child : S.children()) {
    if (!Child || isa<LambdaExpr>(Child))
      continue;
    if (isLoopStatement(*Child) && mayTrainIn(*Child, Model))
      return true;
    if (nestedLoopMayTrain(*Child, Model))
      return true;
  }
  return false;
}

bool isInnermostTrainingLoop(const Stmt &Loop, const HotPathModel &Model) {
  return mayTrainIn(Loop, Model) && !nestedLoopMayTrain(Loop, Model);
}

std::optional<Lack> trainingLoopLacks(const Stmt &Loop,
                                      const HotPathModel &Model,
                                      unsigned MustLack) {
  // The epoch loop around a training loop gets no finding of its own: one
  // problem, one finding, on the loop that steps.
  if (!isInnermostTrainingLoop(Loop, Model))
    return std::nullopt;
  return Model.lacks(&Loop, nullptr, TrainingSignals, MustLack);
}

/// The `Contained` of a ModuleHolder<Contained> that \p RD is or derives
/// from.
static const CXXRecordDecl *heldModule(const CXXRecordDecl *RD) {
  if (!RD)
    return nullptr;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    if (Spec->getName() == "ModuleHolder" && isInNamespace(Spec, "torch::nn") &&
        Spec->getTemplateArgs().size() > 0 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return recordOf(Spec->getTemplateArgs()[0].getAsType());
  if (!RD->hasDefinition())
    return nullptr;
  for (const CXXBaseSpecifier &Base : RD->getDefinition()->bases())
    if (const CXXRecordDecl *Held = heldModule(recordOf(Base.getType())))
      return Held;
  return nullptr;
}

const CXXRecordDecl *moduleImplOf(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return nullptr;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    if ((Spec->getName() == "shared_ptr" || Spec->getName() == "unique_ptr") &&
        isInNamespace(Spec, "std") && Spec->getTemplateArgs().size() > 0 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      RD = recordOf(Spec->getTemplateArgs()[0].getAsType());
  if (const CXXRecordDecl *Held = heldModule(RD))
    return Held;
  return isSameOrDerivedFrom(RD, "torch::nn::Module") ? RD : nullptr;
}

const ValueDecl *namedDeclOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return Ref->getDecl();
    if (const auto *Member = dyn_cast<MemberExpr>(E))
      return Member->getMemberDecl();
    // `model->forward(x)` on a holder or a smart pointer: operator-> of
    // the object.
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
    if (!Op || Op->getOperator() != OO_Arrow || Op->getNumArgs() == 0)
      return nullptr;
    E = Op->getArg(0);
  }
  return nullptr;
}

/// Calls \p Visit on every call in \p S, lambdas excluded.
static void forEachCall(const Stmt &S,
                        llvm::function_ref<void(const CallExpr &)> Visit) {
  if (const auto *Call = dyn_cast<CallExpr>(&S))
    Visit(*Call);
  for (const Stmt *Child : S.children())
    if (Child && !isa<LambdaExpr>(Child))
      forEachCall(*Child, Visit);
}

llvm::SmallVector<const CXXMemberCallExpr *, 2>
optimizerStepsIn(const Stmt &S, const ValueDecl *Optimizer) {
  llvm::SmallVector<const CXXMemberCallExpr *, 2> Steps;
  forEachCall(S, [&](const CallExpr &Call) {
    const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
    const CXXMethodDecl *MD = Member ? Member->getMethodDecl() : nullptr;
    if (!MD || !MD->getDeclName().isIdentifier() || MD->getName() != "step" ||
        !isSameOrDerivedFrom(MD->getParent(), "torch::optim::Optimizer"))
      return;
    if (!Optimizer ||
        namedDeclOf(Member->getImplicitObjectArgument()) == Optimizer)
      Steps.push_back(Member);
  });
  return Steps;
}

const CXXConstructExpr *constructionOf(const ValueDecl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  const Expr *Init = VD ? VD->getInit() : nullptr;
  while (Init) {
    Init = Init->IgnoreImplicit();
    const auto *Construct = dyn_cast<CXXConstructExpr>(Init);
    if (!Construct)
      return nullptr;
    // `auto opt = torch::optim::SGD(...)`: the copy of a temporary.
    if (Construct->getConstructor()->isCopyOrMoveConstructor() &&
        Construct->getNumArgs() == 1) {
      Init = Construct->getArg(0);
      continue;
    }
    return Construct;
  }
  return nullptr;
}

llvm::SmallVector<TrainedModule, 2> modulesTrainedIn(const Stmt &Loop) {
  llvm::SmallVector<TrainedModule, 2> Modules;
  auto Add = [&](const Expr *Object, const Expr &Evidence,
                 bool ThroughOptimizer) {
    // The object as written: `encoder->parameters()` calls Module's method
    // on an EncoderImpl, through a cast to the base.
    const CXXRecordDecl *Class =
        moduleImplOf(Object->IgnoreParenImpCasts()->getType());
    if (Class)
      Modules.push_back(
          {Class, namedDeclOf(Object), &Evidence, ThroughOptimizer});
  };
  forEachCall(Loop, [&](const CallExpr &Call) {
    if (!isModuleCall(Call))
      return;
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
      Add(Member->getImplicitObjectArgument(), Call, false);
    else if (Call.getNumArgs() > 0)
      Add(Call.getArg(0), Call, false);
  });
  for (const CXXMemberCallExpr *Step : optimizerStepsIn(Loop)) {
    const CXXConstructExpr *Construct =
        constructionOf(namedDeclOf(Step->getImplicitObjectArgument()));
    if (!Construct || Construct->getNumArgs() == 0)
      continue;
    forEachCall(*Construct->getArg(0), [&](const CallExpr &Call) {
      const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
      const CXXMethodDecl *MD = Member ? Member->getMethodDecl() : nullptr;
      if (MD && MD->getDeclName().isIdentifier() &&
          MD->getName() == "parameters" && isModuleClass(MD->getParent()))
        Add(Member->getImplicitObjectArgument(), Call, true);
    });
  }
  return Modules;
}

/// torch::nn's recurrent and transformer modules, whose gradients explode
/// without clipping.
static bool isRecurrentModule(const CXXRecordDecl *RD) {
  static constexpr llvm::StringLiteral Names[] = {
      "torch::nn::RNNImpl",
      "torch::nn::LSTMImpl",
      "torch::nn::GRUImpl",
      "torch::nn::RNNCellImpl",
      "torch::nn::LSTMCellImpl",
      "torch::nn::GRUCellImpl",
      "torch::nn::TransformerImpl",
      "torch::nn::TransformerEncoderImpl",
      "torch::nn::TransformerDecoderImpl",
      "torch::nn::TransformerEncoderLayerImpl",
      "torch::nn::TransformerDecoderLayerImpl",
  };
  for (llvm::StringRef Name : Names)
    if (isSameOrDerivedFrom(RD, Name))
      return true;
  return false;
}

std::optional<RecurrentPart> recurrentPartOf(const CXXRecordDecl *Module) {
  if (!Module)
    return std::nullopt;
  if (isRecurrentModule(Module))
    return RecurrentPart{Module, nullptr, nullptr};
  // The user's own module: its members, and what its constructors
  // register.
  if (isInNamespace(Module, "torch") || !Module->hasDefinition())
    return std::nullopt;
  Module = Module->getDefinition();
  for (const FieldDecl *Field : Module->fields())
    if (const CXXRecordDecl *Part = moduleImplOf(Field->getType());
        Part && isRecurrentModule(Part))
      return RecurrentPart{Part, nullptr, Field};
  for (const CXXConstructorDecl *Ctor : Module->ctors()) {
    const FunctionDecl *Def = nullptr;
    if (!Ctor->getBody(Def) || !Def)
      continue;
    std::optional<RecurrentPart> Found;
    forEachCall(*Def->getBody(), [&](const CallExpr &Call) {
      const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
      const CXXMethodDecl *MD = Member ? Member->getMethodDecl() : nullptr;
      if (Found || !MD || !MD->getDeclName().isIdentifier() ||
          MD->getName() != "register_module" || Call.getNumArgs() < 2)
        return;
      if (const CXXRecordDecl *Part =
              moduleImplOf(Call.getArg(1)->IgnoreImplicit()->getType());
          Part && isRecurrentModule(Part))
        Found = RecurrentPart{Part, &Call, nullptr};
    });
    if (Found)
      return Found;
  }
  return std::nullopt;
}

} // namespace trainlint
