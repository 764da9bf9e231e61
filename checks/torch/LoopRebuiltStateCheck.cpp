//===--- LoopRebuiltStateCheck.cpp - torch-loop-rebuilt-state ---===//

#include "LoopRebuiltStateCheck.h"
#include "model/TorchApi.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral OptimizerId = "optimizer";
constexpr llvm::StringLiteral ModuleId = "module";
constexpr llvm::StringLiteral RegisterId = "register";
constexpr llvm::StringLiteral MoveId = "move";
constexpr llvm::StringLiteral ParamGroupId = "paramGroup";

bool isOptimizer(const CXXRecordDecl *RD) {
  return isSameOrDerivedFrom(RD, "torch::optim::Optimizer");
}

AST_MATCHER(CXXRecordDecl, isOptimizerClass) { return isOptimizer(&Node); }
AST_MATCHER(CXXRecordDecl, isModuleOrHolderClass) {
  return isModuleClass(&Node);
}

/// Whether \p Ctor builds a new module rather than copying one or wrapping
/// one that exists: a ModuleHolder made from `nullptr` holds nothing, one
/// made from a `std::shared_ptr` shares that module.
bool buildsModule(const CXXConstructorDecl &Ctor) {
  if (Ctor.isCopyOrMoveConstructor())
    return false;
  if (Ctor.getNumParams() == 1) {
    QualType T = Ctor.getParamDecl(0)->getType().getNonReferenceType();
    if (T->isNullPtrType())
      return false;
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      if (RD->getName() == "shared_ptr" && isInNamespace(RD, "std"))
        return false;
  }
  return true;
}

AST_MATCHER(CXXConstructorDecl, buildsNewModule) { return buildsModule(Node); }

/// The class that `std::make_shared<T>`/`std::make_unique<T>` \p FD makes.
const CXXRecordDecl *madeClass(const FunctionDecl &FD) {
  if (!FD.getDeclName().isIdentifier() ||
      (FD.getName() != "make_shared" && FD.getName() != "make_unique") ||
      !isInNamespace(&FD, "std"))
    return nullptr;
  const TemplateArgumentList *Args = FD.getTemplateSpecializationArgs();
  if (!Args || Args->size() == 0 ||
      Args->get(0).getKind() != TemplateArgument::Type)
    return nullptr;
  return Args->get(0).getAsType()->getAsCXXRecordDecl();
}

enum class Built { Nothing, Optimizer, Module };

/// What \p S builds by itself (not in its children): an optimizer or a
/// module, constructed in place, with `new`, or with `std::make_shared` /
/// `std::make_unique`.
Built whatBuilds(const Stmt *S) {
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    const CXXRecordDecl *RD = Ctor->getParent();
    if (isOptimizer(RD) && !Ctor->isCopyOrMoveConstructor())
      return Built::Optimizer;
    if (isModuleClass(RD) && buildsModule(*Ctor))
      return Built::Module;
    return Built::Nothing;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (const CXXRecordDecl *RD = madeClass(*FD))
        return isOptimizer(RD)     ? Built::Optimizer
               : isModuleClass(RD) ? Built::Module
                                   : Built::Nothing;
  return Built::Nothing;
}

/// The name of the class that \p E, a construction or a make_shared,
/// builds.
std::string builtClassName(const Expr &E) {
  const CXXRecordDecl *RD = nullptr;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E))
    RD = Construct->getConstructor()->getParent();
  else if (const auto *Call = dyn_cast<CallExpr>(&E))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      RD = madeClass(*FD);
  return RD ? RD->getQualifiedNameAsString() : std::string();
}

/// Whether \p S or a statement in it builds \p What, once per run of
/// \p S: step loops nested in it, which build on every step, do not count.
bool builds(const Stmt *S, Built What, const HotPathModel &Model) {
  if (!S)
    return false;
  if (whatBuilds(S) == What)
    return true;
  for (const Stmt *Child : S->children())
    if (Child && !Model.loopKind(*Child) && builds(Child, What, Model))
      return true;
  return false;
}

/// Whether \p Loop's source range holds the declaration of \p VD.
bool declaredIn(const VarDecl &VD, const Stmt &Loop, const SourceManager &SM) {
  SourceLocation Loc = SM.getExpansionLoc(VD.getLocation());
  return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Loop.getBeginLoc()),
                                      Loc) &&
         SM.isBeforeInTranslationUnit(Loc,
                                      SM.getExpansionLoc(Loop.getEndLoc()));
}

/// Whether \p S mentions a module (a holder, an Impl, a pointer to one)
/// declared inside \p Loop: a model made anew on each iteration, whichever
/// way (a constructor, a factory function, a copy of a prototype). Step
/// loops nested in \p S are not searched: what they declare is built on
/// every step.
bool mentionsModuleDeclaredIn(const Stmt *S, const Stmt &Loop,
                              const SourceManager &SM,
                              const HotPathModel &Model) {
  if (!S)
    return false;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl())) {
      QualType T = VD->getType().getNonReferenceType();
      const CXXRecordDecl *RD = recordOf(T);
      // std::shared_ptr<NetImpl>: the module is its template argument.
      if (const auto *Spec =
              dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
        if (Spec->getName() == "shared_ptr" &&
            Spec->getTemplateArgs().size() > 0 &&
            Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          RD = Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
      if (RD && isModuleClass(RD) && declaredIn(*VD, Loop, SM))
        return true;
    }
  for (const Stmt *Child : S->children())
    if (Child && !Model.loopKind(*Child) &&
        mentionsModuleDeclaredIn(Child, Loop, SM, Model))
      return true;
  return false;
}

/// Whether the call \p S, the first statement above a construction that is
/// not an expression part of it, registers what it is given.
bool isRegistration(const Stmt *S) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(S);
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  return Method && Method->getDeclName().isIdentifier() &&
         Method->getName().starts_with("register_") &&
         isModuleClass(Method->getParent());
}

} // namespace

LoopRebuiltStateCheck::LoopRebuiltStateCheck(llvm::StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopRebuiltStateCheck::registerMatchers(MatchFinder *Finder) {
  const auto OptimizerClass = cxxRecordDecl(isOptimizerClass());
  const auto ModuleClass = cxxRecordDecl(isModuleOrHolderClass());
  const auto MakeSmartPointerOf = [](const auto &Class) {
    return functionDecl(
        hasAnyName("::std::make_shared", "::std::make_unique"),
        hasTemplateArgument(0, refersToType(hasDeclaration(Class))));
  };

  // torch::optim::Adam optimizer(model->parameters(), opts);
  // optimizer = torch::optim::SGD(params, 0.1);
  // new torch::optim::Adam(...); std::make_unique<torch::optim::Adam>(...)
  // FIXME: an optimizer made by a factory function of the user's
  // (`makeOptimizer(cfg, model)`) is seen only inside that function, which is
  // not on the hot path when it holds no loop.
  Finder->addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(
                                          ofClass(OptimizerClass),
                                          unless(anyOf(isCopyConstructor(),
                                                       isMoveConstructor())))),
                                      unless(isExpansionInSystemHeader()))
                         .bind(OptimizerId),
                     this);
  Finder->addMatcher(callExpr(callee(MakeSmartPointerOf(OptimizerClass)),
                              unless(isExpansionInSystemHeader()))
                         .bind(OptimizerId),
                     this);

  // Net model; torch::nn::Linear(784, 10); std::make_shared<NetImpl>();
  // FIXME: a module loaded with torch::load or torch::jit::load, or cloned
  // (`model->clone()`), is not seen as built.
  Finder->addMatcher(
      cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(ModuleClass),
                                                         buildsNewModule())),
                       unless(isExpansionInSystemHeader()))
          .bind(ModuleId),
      this);
  Finder->addMatcher(callExpr(callee(MakeSmartPointerOf(ModuleClass)),
                              unless(isExpansionInSystemHeader()))
                         .bind(ModuleId),
                     this);

  // register_module("fc", torch::nn::Linear(4, 4));
  // register_parameter("w", torch::randn({4}));
  // register_buffer("mean", torch::zeros({4}));
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("register_module",
                                                        "register_parameter",
                                                        "register_buffer"),
                                             ofClass(ModuleClass))),
                        unless(isExpansionInSystemHeader()))
          .bind(RegisterId),
      this);

  // model->to(device); model->to(torch::kHalf);
  // FIXME: moving a module's parameters one by one (`for (auto &p :
  // model->parameters()) p.set_data(p.to(device))`) is not matched.
  Finder->addMatcher(
      cxxMemberCallExpr(
          callee(cxxMethodDecl(hasName("to"), ofClass(ModuleClass))),
          unless(isExpansionInSystemHeader()))
          .bind(MoveId),
      this);

  // optimizer.add_param_group({model->parameters()});
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("add_param_group"),
                                             ofClass(OptimizerClass))),
                        unless(isExpansionInSystemHeader()))
          .bind(ParamGroupId),
      this);
}

void LoopRebuiltStateCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Optimizer = Result.Nodes.getNodeAs<Expr>(OptimizerId);
  const auto *Module = Result.Nodes.getNodeAs<Expr>(ModuleId);
  const auto *Register = Result.Nodes.getNodeAs<CXXMemberCallExpr>(RegisterId);
  const auto *Move = Result.Nodes.getNodeAs<CXXMemberCallExpr>(MoveId);
  const auto *ParamGroup =
      Result.Nodes.getNodeAs<CXXMemberCallExpr>(ParamGroupId);
  const Expr *Op = Optimizer  ? Optimizer
                   : Module   ? Module
                   : Register ? static_cast<const Expr *>(Register)
                   : Move     ? static_cast<const Expr *>(Move)
                              : static_cast<const Expr *>(ParamGroup);
  assert(Op && "every matcher binds one operation");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;

  // A module builds and registers its parts in its constructor: where the
  // module itself is built is what the loop repeats, and is reported there.
  if (isa_and_nonnull<CXXConstructorDecl>(Model.enclosingFunction(*Op)) &&
      (Module || Register))
    return;
  // `register_module("fc", torch::nn::Linear(4, 4))` is reported once, on
  // the registration.
  if (Module) {
    const Stmt *Up = Model.parentOf(*Op);
    while (Up && isa<Expr>(Up) && !isa<CallExpr>(Up))
      Up = Model.parentOf(*Up);
    if (isRegistration(Up))
      return;
  }

  // The innermost loop of its own function that decides: a step loop (or
  // a loop nested in one) makes it hot; an epoch loop runs it once per
  // epoch. Without either, a loop elsewhere may call its function.
  const Stmt *EpochLoop = nullptr;
  for (const Stmt *Loop : Model.enclosingLoops(*Op)) {
    if (Model.loopKind(*Loop))
      break;
    if (Model.isEpochLoop(*Loop)) {
      EpochLoop = Loop;
      break;
    }
  }
  std::string LoopName;
  std::optional<HotContext> Hot;
  if (!EpochLoop)
    Hot = Model.classify(*Op);
  // Before or after the loops, or in a loop that does not train.
  if (!EpochLoop && !Hot)
    return;
  if (Hot) {
    // An evaluation or CUDA step loop trains no model: what it builds holds
    // no training state.
    if (Hot->Kind != LoopKind::Training && Hot->Kind != LoopKind::Undecided)
      return;
    // `if (step == kWarmup) optimizer = ...`: a deliberate restart on a few
    // steps, not on every one.
    if (Hot->isGated())
      return;
    // `if (!optimizer) optimizer = std::make_unique<...>(...)`: built on the
    // first pass only.
    if (Model.isGuardedInit(*Op, Hot->CallChain.empty() ? Hot->Loop : nullptr))
      return;
    LoopName = loopKindName(Hot->Kind).str();
  } else {
    // Once per epoch, in a loop around the training loop: an optimizer
    // built anew there loses its state every epoch.
    // `if (epoch == 30) optimizer = ...` with a lower rate: a deliberate
    // restart on a few epochs.
    if (Model.isRareIn(*Op, *EpochLoop))
      return;
    if (Model.isGuardedInit(*Op, EpochLoop))
      return;
    // A loop over cross-validation folds or hyper-parameter trials builds a
    // model and its optimizer together and trains them in the loop inside:
    // each iteration is a new run, not a lost state. An optimizer over a
    // model declared in the loop, a model built next to an optimizer, and
    // moving or extending what such a loop built belong to that new run.
    const bool NewModel =
        builds(EpochLoop, Built::Module, Model) ||
        mentionsModuleDeclaredIn(EpochLoop, *EpochLoop, SM, Model);
    const bool NewOptimizer = builds(EpochLoop, Built::Optimizer, Model);
    if (Optimizer &&
        (NewModel || mentionsModuleDeclaredIn(Op, *EpochLoop, SM, Model)))
      return;
    if ((Module || Register) && NewOptimizer)
      return;
    if (Move && (mentionsModuleDeclaredIn(Move->getImplicitObjectArgument(),
                                          *EpochLoop, SM, Model) ||
                 (NewModel && NewOptimizer)))
      return;
    if (ParamGroup && NewOptimizer)
      return;
    LoopName = "epoch loop";
  }

  auto noteContext = [&] {
    if (Hot)
      noteHotContext(*Hot);
    else
      diag(EpochLoop->getBeginLoc(),
           "epoch loop starts here; it encloses the training loop",
           DiagnosticIDs::Note);
  };

  if (Optimizer) {
    diag(Op->getBeginLoc(),
         "optimizer '%0' is constructed on every iteration of the %1, so its "
         "state (Adam's moments, SGD's momentum) starts from zero each time; "
         "construct it once before the loop")
        << builtClassName(*Op) << LoopName;
    diag(Op->getBeginLoc(),
         "to change the learning rate, set it in the options of "
         "'param_groups()'",
         DiagnosticIDs::Note);
    noteContext();
    return;
  }
  if (Module) {
    diag(Op->getBeginLoc(),
         "module '%0' is constructed on every iteration of the %1, with "
         "freshly initialized parameters that no optimizer before the loop "
         "holds; construct it once before the loop")
        << builtClassName(*Op) << LoopName;
    noteContext();
    return;
  }
  if (Register) {
    const CXXMethodDecl *Method = Register->getMethodDecl();
    llvm::StringRef What =
        Method->getName().drop_front(llvm::StringRef("register_").size());
    diag(Register->getExprLoc(),
         "'%0()' registers a new %1 on every iteration of the %2; register "
         "it once, in the module's constructor")
        << Method->getName() << What << LoopName;
    noteContext();
    return;
  }
  if (Move) {
    diag(Move->getExprLoc(),
         "'to()' moves or converts every parameter and buffer of the model "
         "on every iteration of the %0; move the model once, before the loop")
        << LoopName;
    noteContext();
    return;
  }
  diag(ParamGroup->getExprLoc(),
       "'add_param_group()' adds parameters to the optimizer again on every "
       "iteration of the %0, so they are updated once per group; add them "
       "once, before the loop")
      << LoopName;
  noteContext();
}

} // namespace trainlint::torch
