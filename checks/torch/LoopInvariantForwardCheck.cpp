//===--- LoopInvariantForwardCheck.cpp - torch-loop-invariant-forward ---===//

#include "LoopInvariantForwardCheck.h"
#include "model/LoopFacts.h"
#include "model/Mutation.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "call";

/// Module calls, where the model may train the module.
InvariancePolicy modulesAllowed() {
  InvariancePolicy Policy;
  Policy.AllowModuleCalls = true;
  return Policy;
}

/// Whether \p E does work worth moving: a module call or a tensor
/// operation other than a factory, a view, a move or a metadata query.
bool computes(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (isModuleCall(*Call))
      return true;
    const FunctionDecl *FD = Call->getDirectCallee();
    static constexpr llvm::StringLiteral Cheap[] = {
        "view",    "reshape",  "select",    "narrow", "slice",  "index",
        "t",       "transpose", "permute",  "unsqueeze", "squeeze", "expand",
        "detach",  "contiguous", "to",      "cuda",   "cpu",    "toType",
        "flatten", "view_as",  "expand_as", "options", "size",  "sizes"};
    bool Computing =
        FD && isTensorType(Call->getType()) && !isTensorFactory(FD) &&
        !isa<CXXConstructorDecl>(FD) &&
        !(FD->getDeclName().isIdentifier() &&
          llvm::is_contained(Cheap, FD->getName())) &&
        !(isa<CXXOperatorCallExpr>(Call) &&
          cast<CXXOperatorCallExpr>(Call)->getOperator() == OO_Subscript);
    if (Computing)
      return true;
  }
  return llvm::any_of(S->children(), computes);
}

/// Whether \p E reads a variable or member that may hold a tensor or a
/// module: anything of class type but devices and options, and pointers.
bool readsObjects(const Stmt *S) {
  if (!S)
    return false;
  const ValueDecl *D = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    D = DRE->getDecl();
  else if (const auto *ME = dyn_cast<MemberExpr>(S))
    D = isa<FieldDecl>(ME->getMemberDecl()) ? ME->getMemberDecl() : nullptr;
  if (D && isa<VarDecl, FieldDecl>(D)) {
    QualType T = D->getType().getNonReferenceType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (T->isPointerType() ||
        (RD && !isInNamespace(RD, "c10") && !isInNamespace(RD, "at")) ||
        (RD && isTensorType(T)))
      return true;
  }
  return llvm::any_of(S->children(), readsObjects);
}

/// Whether \p S reads a local variable declared in \p Region.
bool readsLocalOf(const Stmt *S, const Stmt &Region, const SourceManager &SM) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *Var = dyn_cast<VarDecl>(DRE->getDecl()))
      if (Var->hasLocalStorage() &&
          SM.isPointWithin(Var->getLocation(), Region.getBeginLoc(),
                           Region.getEndLoc()))
        return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return readsLocalOf(Child, Region, SM);
  });
}

/// Adds to \p Out the variables and members \p S names, and those that
/// initialize a local list of them (`auto params = model->parameters();`).
/// A tensor initialized from another (`auto target = content.clone()`) is
/// a tensor of its own.
void collectNamed(const Stmt *S, llvm::SmallPtrSetImpl<const Decl *> &Out,
                  unsigned Depth) {
  if (!S)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (const auto *Var = dyn_cast<VarDecl>(DRE->getDecl()))
      if (Out.insert(Var->getCanonicalDecl()).second && Depth < 3 &&
          Var->hasLocalStorage() && !isa<ParmVarDecl>(Var) &&
          !isTensorType(Var->getType()))
        collectNamed(Var->getInit(), Out, Depth + 1);
  } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    if (isa<FieldDecl>(ME->getMemberDecl()))
      Out.insert(ME->getMemberDecl()->getCanonicalDecl());
  }
  for (const Stmt *Child : S->children())
    collectNamed(Child, Out, Depth);
}

/// What the optimizers stepped in a loop change.
struct Training {
  /// Variables and members their constructions name: the module whose
  /// `parameters()` they take, the tensors they optimize.
  llvm::SmallPtrSet<const Decl *, 8> Optimized;
  /// An optimizer whose construction is not in view, or a training loop
  /// that steps no optimizer of its own: it may change anything.
  bool Unknown = false;
};

void collectSteps(const Stmt *S, Training &Out) {
  if (!S)
    return;
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = Call->getMethodDecl();
    if (MD && MD->getDeclName().isIdentifier() && MD->getName() == "step" &&
        isSameOrDerivedFrom(MD->getParent(), "torch::optim::Optimizer")) {
      const auto *DRE = dyn_cast<DeclRefExpr>(
          ignoreUnwritten(Call->getImplicitObjectArgument()));
      const auto *Var = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      const auto *Construct =
          Var && !isa<ParmVarDecl>(Var) && Var->hasLocalStorage() &&
                  !Var->getType()->isReferenceType()
              ? dyn_cast_or_null<CXXConstructExpr>(ignoreUnwritten(Var->getInit()))
              : nullptr;
      if (Construct)
        collectNamed(Construct, Out.Optimized, 0);
      else
        Out.Unknown = true;
    }
  }
  for (const Stmt *Child : S->children())
    collectSteps(Child, Out);
}

/// Whether \p S names one of \p Decls, directly or through the
/// initializers of the local variables it reads (`auto features =
/// model->forward(target); features.matmul(...)` names `target`).
bool namesAny(const Stmt *S, const llvm::SmallPtrSetImpl<const Decl *> &Decls,
              unsigned Depth = 0) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (Decls.count(DRE->getDecl()->getCanonicalDecl()))
      return true;
    if (const auto *Var = dyn_cast<VarDecl>(DRE->getDecl()))
      if (Depth < 4 && Var->hasLocalStorage() && !isa<ParmVarDecl>(Var))
        return namesAny(Var->getInit(), Decls, Depth + 1);
  }
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (Decls.count(ME->getMemberDecl()->getCanonicalDecl()))
      return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return namesAny(Child, Decls, Depth);
  });
}

} // namespace

LoopInvariantForwardCheck::LoopInvariantForwardCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopInvariantForwardCheck::registerMatchers(MatchFinder *Finder) {
  // model->forward(content), model(style), torch::ones({t, t}).triu(1),
  // torch::mm(f, f.t()): any call that yields a tensor, in the user's code,
  // and calls of `forward` or `operator()` of any type, which check() keeps
  // when they call a module (a VGG that returns its feature maps in a
  // vector); check() keeps the outermost invariant one.
  // FIXME: a pure function of the user's own (`gram(style)`) is not taken
  // as pure, and a module held in a `std::shared_ptr` is not recognised.
  const auto MaybeModuleCall =
      anyOf(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("forward")))),
            cxxOperatorCallExpr(hasOverloadedOperatorName("()")));
  Finder->addMatcher(callExpr(anyOf(tensorExpr(), MaybeModuleCall),
                              unless(isExpansionInSystemHeader()))
                         .bind(CallId),
                     this);
}

void LoopInvariantForwardCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  assert(Call && "the matcher binds the call");
  ASTContext &Ctx = *Result.Context;
  // A template's pattern: its instantiations are checked instead.
  if (Call->isValueDependent())
    return;
  // A call of something other than a module that yields no tensor.
  if (!isTensorType(Call->getType()) && !isModuleCall(*Call))
    return;
  // A factory, alone or moved to a device: torch-loop-invariant-tensor's.
  if (bareTensorFactory(*Call))
    return;
  // Views, moves and size queries cost next to nothing.
  if (!computes(Call))
    return;
  const HotPathModel &Model = HotPathModel::get(Ctx);
  std::optional<HotContext> Hot = Model.classify(*Call);
  // Before the loop, or once per epoch.
  if (!Hot)
    return;
  // Under `if (step % N == 0)`: computed every N steps only.
  if (Hot->isGated())
    return;

  // The outermost loop of its own function in which it is invariant, or
  // the function's body when no loop of its own surrounds it.
  const InvariancePolicy Policy = modulesAllowed();
  llvm::SmallVector<const Stmt *, 4> Loops = Model.enclosingLoops(*Call);
  const Stmt *Region = nullptr;
  const FunctionDecl *Function = Model.enclosingFunction(*Call);
  if (!Loops.empty()) {
    Region = outermostInvariantLoop(*Call, Loops, Ctx, Policy);
    // Its inputs change from one iteration to the next, or it is random.
    if (!Region)
      return;
  } else {
    // A parameter's value may change from call to call.
    if (!Function || !Function->getBody() ||
        !isInvariantIn(*Call, *Function->getBody(), Ctx, Policy))
      return;
    Region = Function->getBody();
  }
  // It reads a variable that the loop computes from invariant inputs: the
  // computation of that variable is the one to move, and is reported.
  if (readsLocalOf(Call, *Region, *Result.SourceManager))
    return;

  // The optimizers stepped where it is computed change what they were
  // built from: the module being trained, the image being optimized.
  const Stmt *StepLoop = Loops.empty() ? Hot->Loop : Region;
  Training Trained;
  if (StepLoop) {
    collectSteps(StepLoop, Trained);
    std::optional<LoopKind> Kind = Model.loopKind(*StepLoop);
    if (Trained.Optimized.empty() && !Trained.Unknown &&
        (Kind == LoopKind::Training || Hot->Kind == LoopKind::Training))
      Trained.Unknown = true; // trained by code out of view
  } else if (Hot->Kind != LoopKind::Evaluation) {
    Trained.Unknown = true; // the loop is in another file
  }
  auto Unchanged = [&](const Expr &E) {
    // A module or a tensor that an optimizer may update.
    if (Trained.Unknown && readsObjects(&E))
      return false;
    return !namesAny(&E, Trained.Optimized);
  };
  if (!Unchanged(*Call))
    return;
  // Part of a larger invariant expression: that one is reported.
  if (const Expr *Outer = enclosingTensorOperation(*Call, Model))
    if (isInvariantIn(*Outer, *Region, Ctx, Policy) && Unchanged(*Outer))
      return;

  // Written into afterwards, or kept beyond the iteration: computing it once
  // would share one tensor between iterations.
  TensorValueUses Uses = tensorValueUses(
      *Call, Function && Function->getBody() ? *Function->getBody() : *Region,
      [&](const Stmt &S) { return Model.parentOf(S); });
  if (Uses.WrittenInPlace || Uses.Escapes)
    return;
  // It costs on the CPU as well: whether the project uses an accelerator
  // does not matter.
  if (Hot->Deferred)
    Hot->Deferred->NeedsAccelerator = false;

  const bool InLoop = !Loops.empty();
  // Through Stmt, whose getBeginLoc() knows an operator call starts at its
  // first operand, not at the operator.
  diag(cast<Stmt>(Call)->getBeginLoc(),
       "%select{this tensor expression|this module call}0 computes the same "
       "value on every iteration of the %1, from inputs that do not change "
       "%select{between calls|in the loop}2; compute it once "
       "%select{and pass it in|before the loop}2")
      << isModuleCall(*Call) << loopKindName(Hot->Kind) << InLoop;
  if (InLoop)
    diag(Region->getBeginLoc(),
         "its inputs are the same on each iteration of this loop",
         DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
