//===--- LoopFacts.cpp - what a loop counts and what it leaves alone ------===//

#include "LoopFacts.h"
#include "HotPath.h"
#include "Mutation.h"
#include "TensorDevice.h"
#include "TorchApi.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

namespace trainlint {

using namespace clang;

namespace {

/// How far isInvariantIn() follows local variables to their initial values.
constexpr unsigned MaxDepth = 6;

/// \p E as a plain reference to \p Var, through casts and parentheses.
bool isRefTo(const Expr *E, const VarDecl &Var) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts()
                                                    : nullptr);
  return DRE && DRE->getDecl()->getCanonicalDecl() == Var.getCanonicalDecl();
}

std::optional<int64_t> constantOf(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult Result;
  if (!E || E->isValueDependent() || !E->EvaluateAsInt(Result, Ctx))
    return std::nullopt;
  return Result.Val.getInt().getExtValue();
}

/// The step of the increment \p Inc of \p Var: +1 for `++i`, -2 for
/// `i -= 2`; nothing when it is not a constant step of \p Var.
std::optional<int64_t> stepOf(const Expr *Inc, const VarDecl &Var,
                              const ASTContext &Ctx) {
  if (!Inc)
    return std::nullopt;
  Inc = Inc->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Inc)) {
    if (!UO->isIncrementDecrementOp() || !isRefTo(UO->getSubExpr(), Var))
      return std::nullopt;
    return UO->isIncrementOp() ? 1 : -1;
  }
  if (const auto *BO = dyn_cast<CompoundAssignOperator>(Inc)) {
    if (!isRefTo(BO->getLHS(), Var))
      return std::nullopt;
    std::optional<int64_t> By = constantOf(BO->getRHS(), Ctx);
    if (!By || *By == 0)
      return std::nullopt;
    if (BO->getOpcode() == BO_AddAssign)
      return *By;
    if (BO->getOpcode() == BO_SubAssign)
      return -*By;
  }
  return std::nullopt;
}

/// The iterations of a loop from \p Start while `i Op Bound`, by \p Step.
std::optional<uint64_t> tripCount(int64_t Start, BinaryOperatorKind Op,
                                  int64_t Bound, int64_t Step) {
  // Count as if upward: `i > b` by -s is `-i < -b` by s.
  if (Step < 0) {
    Start = -Start;
    Bound = -Bound;
    Step = -Step;
    if (Op == BO_GT)
      Op = BO_LT;
    else if (Op == BO_GE)
      Op = BO_LE;
    else if (Op != BO_NE)
      return std::nullopt;
  } else if (Op != BO_LT && Op != BO_LE && Op != BO_NE) {
    return std::nullopt;
  }
  if (Op == BO_LE)
    ++Bound;
  if (Bound <= Start)
    return 0;
  if (Op == BO_NE && (Bound - Start) % Step != 0)
    return std::nullopt; // steps over the bound: not a counted loop
  return static_cast<uint64_t>((Bound - Start + Step - 1) / Step);
}

std::optional<LoopCounter> forLoopCounter(const ForStmt &For,
                                          const ASTContext &Ctx) {
  const VarDecl *Var = nullptr;
  const Expr *Start = nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(For.getInit())) {
    if (!DS->isSingleDecl())
      return std::nullopt;
    Var = dyn_cast<VarDecl>(DS->getSingleDecl());
    Start = Var ? Var->getInit() : nullptr;
  } else if (const auto *Assign =
                 dyn_cast_or_null<BinaryOperator>(For.getInit())) {
    if (Assign->getOpcode() != BO_Assign)
      return std::nullopt;
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(Assign->getLHS()->IgnoreParenImpCasts()))
      Var = dyn_cast<VarDecl>(DRE->getDecl());
    Start = Assign->getRHS();
  }
  if (!Var || !Var->getType()->isIntegerType())
    return std::nullopt;
  const auto *Cond =
      dyn_cast_or_null<BinaryOperator>(For.getCond()
                                           ? For.getCond()->IgnoreParenImpCasts()
                                           : nullptr);
  if (!Cond || !Cond->isComparisonOp())
    return std::nullopt;
  std::optional<int64_t> Step = stepOf(For.getInc(), *Var, Ctx);
  if (!Step)
    return std::nullopt;
  LoopCounter Counter;
  Counter.Var = Var;
  BinaryOperatorKind Op = Cond->getOpcode();
  if (isRefTo(Cond->getLHS(), *Var)) {
    Counter.Bound = Cond->getRHS();
  } else if (isRefTo(Cond->getRHS(), *Var)) {
    Counter.Bound = Cond->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  } else {
    return std::nullopt;
  }
  std::optional<int64_t> From = constantOf(Start, Ctx);
  std::optional<int64_t> To = constantOf(Counter.Bound, Ctx);
  if (From && To)
    Counter.TripCount = tripCount(*From, Op, *To, *Step);
  return Counter;
}

/// `c10::irange(n)`, `c10::irange(a, b)`, `torch::irange`,
/// `std::views::iota(a, b)`: the call behind a range-for's range.
const CallExpr *integerRangeCall(const Expr *Range) {
  for (unsigned Depth = 0; Range && Depth < 8; ++Depth) {
    Range = Range->IgnoreParenImpCasts();
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(Range)) {
      Range = Temp->getSubExpr();
      continue;
    }
    if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(Range)) {
      Range = Bind->getSubExpr();
      continue;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(Range)) {
      // The iota view's constructor, or a copy of the range.
      if (Construct->getNumArgs() == 0)
        return nullptr;
      Range = Construct->getArg(0);
      continue;
    }
    break;
  }
  const auto *Call = dyn_cast_or_null<CallExpr>(Range);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier() || Call->getNumArgs() == 0)
    return nullptr;
  if (FD->getName() == "irange" &&
      (isInNamespace(FD, "c10") || isInNamespace(FD, "torch")))
    return Call;
  return nullptr;
}

std::optional<LoopCounter> rangeLoopCounter(const CXXForRangeStmt &For,
                                            const ASTContext &Ctx) {
  const CallExpr *Range = integerRangeCall(For.getRangeInit());
  if (!Range)
    return std::nullopt;
  LoopCounter Counter;
  Counter.Var = For.getLoopVariable();
  Counter.Bound = Range->getArg(Range->getNumArgs() - 1);
  std::optional<int64_t> From =
      Range->getNumArgs() > 1 ? constantOf(Range->getArg(0), Ctx) : 0;
  std::optional<int64_t> To = constantOf(Counter.Bound, Ctx);
  if (From && To)
    Counter.TripCount = tripCount(*From, BO_LT, *To, 1);
  return Counter;
}

bool isLoopStmt(const Stmt &S) {
  return isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

/// Namespaces whose functions, though in libtorch, do not just compute:
/// they initialize weights at random, read files, step optimizers.
bool isInEffectfulNamespace(const Decl *D) {
  static constexpr llvm::StringLiteral Namespaces[] = {
      "torch::nn::init", "torch::optim", "torch::data", "torch::serialize",
      "torch::jit", "torch::autograd", "torch::cuda", "at::cuda", "c10::cuda"};
  return llvm::any_of(Namespaces, [&](llvm::StringRef NS) {
    return isInNamespace(D, NS);
  });
}

bool isLibraryFunction(const FunctionDecl *FD) {
  return (isInNamespace(FD, "at") || isInNamespace(FD, "torch") ||
          isInNamespace(FD, "c10") || isInNamespace(FD, "std")) &&
         !isInEffectfulNamespace(FD);
}

/// The test behind isInvariantIn(), with what it learned about each
/// variable, so that a variable read twice is judged once.
class InvarianceTest {
public:
  InvarianceTest(const Stmt &Region, const ASTContext &Ctx,
                 InvariancePolicy Policy)
      : Region(Region), Ctx(Ctx), Policy(Policy),
        RegionIsLoop(isLoopStmt(Region)) {}

  bool expr(const Expr *E, unsigned Depth) {
    if (!E)
      return true;
    if (Depth > MaxDepth || E->isValueDependent() || E->isTypeDependent())
      return false;
    if (isa<IntegerLiteral, FloatingLiteral, CharacterLiteral, StringLiteral,
            CXXBoolLiteralExpr, CXXNullPtrLiteralExpr, ImplicitValueInitExpr,
            UnaryExprOrTypeTraitExpr, CXXThisExpr, CXXScalarValueInitExpr>(E))
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (isa<EnumConstantDecl, FunctionDecl>(DRE->getDecl()))
        return true;
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD && variable(*VD, Depth);
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return member(*ME, Depth);
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      return !UO->isIncrementDecrementOp() && expr(UO->getSubExpr(), Depth);
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return !BO->isAssignmentOp() && expr(BO->getLHS(), Depth) &&
             expr(BO->getRHS(), Depth);
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E))
      return expr(Default->getExpr(), Depth);
    if (const auto *Default = dyn_cast<CXXDefaultInitExpr>(E))
      return expr(Default->getExpr(), Depth);
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
      return construction(*Construct, Depth);
    if (const auto *Call = dyn_cast<CallExpr>(E))
      return call(*Call, Depth);
    if (isa<CastExpr, ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            ExprWithCleanups, InitListExpr, CXXStdInitializerListExpr,
            ConstantExpr, ConditionalOperator, ArraySubscriptExpr,
            ParenListExpr, CXXParenListInitExpr, OpaqueValueExpr>(E))
      return llvm::all_of(E->children(), [&](const Stmt *Child) {
        return !Child || (isa<Expr>(Child) && expr(cast<Expr>(Child), Depth));
      });
    return false;
  }

private:
  bool declaredInRegion(const Decl &D) const {
    const SourceManager &SM = Ctx.getSourceManager();
    return SM.isPointWithin(D.getLocation(), Region.getBeginLoc(),
                            Region.getEndLoc());
  }

  bool variable(const VarDecl &VD, unsigned Depth) {
    auto Known = Variables.find(VD.getCanonicalDecl());
    if (Known != Variables.end())
      return Known->second;
    // A cycle through this variable's own initializer is not invariant.
    Variables[VD.getCanonicalDecl()] = false;
    bool Invariant = judgeVariable(VD, Depth);
    Variables[VD.getCanonicalDecl()] = Invariant;
    return Invariant;
  }

  bool judgeVariable(const VarDecl &VD, unsigned Depth) {
    if (VD.isConstexpr())
      return true;
    if (isa<ParmVarDecl>(VD)) {
      // A function's parameters differ from call to call; a lambda's too.
      if (!RegionIsLoop || declaredInRegion(VD))
        return false;
      return !isModifiedIn(VD, Region);
    }
    if (VD.isCXXForRangeDecl() && declaredInRegion(VD))
      return false;
    if (declaredInRegion(VD) && VD.hasLocalStorage())
      // Declared anew on each iteration: invariant when it starts from an
      // invariant value and nothing changes it.
      return expr(VD.getInit(), Depth + 1) && !isModifiedIn(VD, Region);
    if (VD.hasGlobalStorage() && VD.getType().isConstQualified() &&
        !VD.getType()->isReferenceType())
      return true;
    // FIXME: a global changed by a function the region calls, or an object
    // changed through another reference to it, is not seen.
    return !isModifiedIn(VD, Region);
  }

  bool member(const MemberExpr &ME, unsigned Depth) {
    const auto *Field = dyn_cast<FieldDecl>(ME.getMemberDecl());
    if (!Field)
      return false;
    // FIXME: a member changed between two calls of the function, by
    // another method, is not seen.
    return expr(ME.getBase(), Depth) && !isModifiedIn(*Field, Region);
  }

  bool arguments(const CallExpr &Call, unsigned First, unsigned Depth) {
    for (unsigned I = First; I < Call.getNumArgs(); ++I)
      if (!expr(Call.getArg(I), Depth))
        return false;
    return true;
  }

  bool construction(const CXXConstructExpr &Construct, unsigned Depth) {
    const CXXConstructorDecl *Ctor = Construct.getConstructor();
    const CXXRecordDecl *Class = Ctor ? Ctor->getParent() : nullptr;
    if (!Class)
      return false;
    // A module's constructor draws its initial weights at random.
    if (isModuleClass(Class))
      return false;
    // Copies are what they copy; value types of libtorch and the standard
    // library (options, devices, shapes, scalars, vectors) compute nothing.
    if (!Ctor->isCopyOrMoveConstructor() && !isLibraryFunction(Ctor) &&
        !isInNamespace(Class, "c10") && !isInNamespace(Class, "at") &&
        !isInNamespace(Class, "torch") && !isInNamespace(Class, "std"))
      return false;
    for (const Expr *Arg : Construct.arguments())
      if (!expr(Arg, Depth))
        return false;
    return true;
  }

  bool call(const CallExpr &Call, unsigned Depth) {
    const FunctionDecl *FD = Call.getDirectCallee();
    if (!FD || isRandomOperation(FD) || FD->getReturnType()->isVoidType())
      return false;
    // `model->` and `*model` reach the module the holder holds.
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call))
      if (Op->getNumArgs() == 1 && (Op->getOperator() == OO_Arrow ||
                                    Op->getOperator() == OO_Star))
        if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
          if (isModuleClass(MD->getParent()) ||
              isInNamespace(MD->getParent(), "std"))
            return expr(Op->getArg(0), Depth);
    if (isModuleCall(Call)) {
      if (!Policy.AllowModuleCalls ||
          isRandomModule(cast<CXXMethodDecl>(FD)->getParent()))
        return false;
      const Expr *Module = isa<CXXOperatorCallExpr>(Call)
                               ? Call.getArg(0)
                               : cast<CXXMemberCallExpr>(Call)
                                     .getImplicitObjectArgument();
      return expr(Module, Depth) &&
             arguments(Call, isa<CXXOperatorCallExpr>(Call) ? 1 : 0, Depth);
    }
    if (isa<CXXMemberCallExpr, CXXOperatorCallExpr>(Call) &&
        writesTensorInPlace(Call))
      return false;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      const CXXRecordDecl *Class = MD->getParent();
      if (!isLibraryFunction(MD) || isModuleClass(Class))
        return false;
      // A tensor's gradient changes with every backward pass.
      if (MD->getDeclName().isIdentifier() && MD->getName() == "grad")
        return false;
      // Non-const methods of value types (a vector's push_back) change
      // their object, and tensors' in-place operations were ruled out above.
      if (!MD->isConst() && !MD->isStatic() &&
          !isSameOrDerivedFrom(Class, "at::TensorBase") &&
          !isa<CXXOperatorCallExpr>(Call))
        return false;
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
        return expr(Member->getImplicitObjectArgument(), Depth) &&
               arguments(Call, 0, Depth);
      return arguments(Call, 0, Depth); // an operator: its object is arg 0
    }
    return isLibraryFunction(FD) && arguments(Call, 0, Depth);
  }

  const Stmt &Region;
  const ASTContext &Ctx;
  InvariancePolicy Policy;
  bool RegionIsLoop;
  llvm::DenseMap<const VarDecl *, bool> Variables;
};

/// \p E as an integer index: an expression of integral type (not bool),
/// through implicit conversions and the constructors that wrap it
/// (`c10::SymInt`, `at::indexing::TensorIndex`).
const Expr *integerIndex(const Expr *E) {
  E = ignoreUnwritten(E);
  while (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(E)) {
    if (Construct->getNumArgs() != 1 || isTensorType(Construct->getType()))
      return nullptr;
    E = ignoreUnwritten(Construct->getArg(0));
  }
  if (!E || E->isTypeDependent())
    return nullptr;
  QualType T = E->getType();
  return T->isIntegralOrEnumerationType() && !T->isBooleanType() ? E : nullptr;
}

bool isTensorIndexClass(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getDeclName().isIdentifier() &&
         RD->getName() == "TensorIndex" && isInNamespace(RD, "at::indexing");
}

/// Adds the TensorIndex constructions of a braced index list \p E, in
/// source order.
void collectTensorIndexes(const Stmt *S,
                          llvm::SmallVectorImpl<const CXXConstructExpr *> &Out) {
  if (!S)
    return;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S))
    if (isTensorIndexClass(Construct->getType())) {
      Out.push_back(Construct);
      return;
    }
  for (const Stmt *Child : S->children())
    collectTensorIndexes(Child, Out);
}

} // namespace

std::optional<ElementAccess> asElementAccess(const Expr &E,
                                             const ASTContext &Ctx) {
  const Expr *Written = ignoreUnwritten(&E);
  const auto *Call = dyn_cast_or_null<CallExpr>(Written);
  if (!Call)
    return std::nullopt;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  if (!MD || !isSameOrDerivedFrom(MD->getParent(), "at::TensorBase"))
    return std::nullopt;
  ElementAccess Access;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    // t[i]; t[mask] indexes with a tensor and reads no single element.
    if (Op->getOperator() != OO_Subscript || Op->getNumArgs() != 2)
      return std::nullopt;
    const Expr *Index = integerIndex(Op->getArg(1));
    if (!Index)
      return std::nullopt;
    Access.Tensor = Op->getArg(0);
    Access.Indices.push_back(Index);
    Access.FirstDim = 0;
    return Access;
  }
  const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
  if (!Member || !MD->getDeclName().isIdentifier())
    return std::nullopt;
  Access.Tensor = Member->getImplicitObjectArgument();
  llvm::StringRef Name = MD->getName();
  if (Name == "select" || Name == "narrow") {
    if (Call->getNumArgs() < 2)
      return std::nullopt;
    const Expr *Index = integerIndex(Call->getArg(1));
    if (!Index)
      return std::nullopt;
    // narrow(d, i, n) with n > 1 takes a slice of rows, not one.
    if (Name == "narrow") {
      std::optional<int64_t> Length =
          Call->getNumArgs() > 2 ? constantOf(Call->getArg(2), Ctx)
                                 : std::nullopt;
      if (Length != 1)
        return std::nullopt;
    }
    Access.Indices.push_back(Index);
    Access.FirstDim = constantOf(Call->getArg(0), Ctx);
    return Access;
  }
  if (Name != "index" && Name != "index_put_")
    return std::nullopt;
  if (Call->getNumArgs() < 1)
    return std::nullopt;
  llvm::SmallVector<const CXXConstructExpr *, 4> Indexes;
  collectTensorIndexes(Call->getArg(0), Indexes);
  for (const CXXConstructExpr *Index : Indexes) {
    const Expr *Integer =
        Index->getNumArgs() == 1 ? integerIndex(Index->getArg(0)) : nullptr;
    if (!Integer)
      continue;
    if (Access.Indices.empty() && Index == Indexes.front())
      Access.FirstDim = 0;
    Access.Indices.push_back(Integer);
  }
  if (Access.Indices.empty())
    return std::nullopt;
  Access.Writes = Name == "index_put_";
  return Access;
}

std::optional<LoopCounter> loopCounterOf(const Stmt &Loop,
                                         const ASTContext &Ctx) {
  if (const auto *For = dyn_cast<ForStmt>(&Loop))
    return forLoopCounter(*For, Ctx);
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(&Loop))
    return rangeLoopCounter(*Range, Ctx);
  return std::nullopt;
}

bool isLoopStatement(const Stmt &S) {
  return isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

bool mentionsVariable(const Stmt *E, const VarDecl &Var) {
  if (!E)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (DRE->getDecl()->getCanonicalDecl() == Var.getCanonicalDecl())
      return true;
  return llvm::any_of(E->children(), [&](const Stmt *Child) {
    return mentionsVariable(Child, Var);
  });
}

bool isInvariantIn(const Expr &E, const Stmt &Region, const ASTContext &Ctx,
                   InvariancePolicy Policy) {
  return InvarianceTest(Region, Ctx, Policy).expr(&E, 0);
}

const Stmt *outermostInvariantLoop(const Expr &E,
                                   llvm::ArrayRef<const Stmt *> Loops,
                                   const ASTContext &Ctx,
                                   InvariancePolicy Policy) {
  const Stmt *Outermost = nullptr;
  for (const Stmt *Loop : Loops) {
    if (!Loop || !isInvariantIn(E, *Loop, Ctx, Policy))
      break;
    Outermost = Loop;
  }
  return Outermost;
}

const CallExpr *bareTensorFactory(const Expr &E) {
  const Expr *Cur = &E;
  for (unsigned Depth = 0; Cur && Depth < 8; ++Depth) {
    Cur = ignoreUnwritten(Cur);
    if (const auto *Member = dyn_cast_or_null<CXXMemberCallExpr>(Cur)) {
      const CXXMethodDecl *MD = Member->getMethodDecl();
      static constexpr llvm::StringLiteral Moves[] = {"to", "cuda", "cpu",
                                                      "toType"};
      if (!MD || !MD->getDeclName().isIdentifier() ||
          !isSameOrDerivedFrom(MD->getParent(), "at::TensorBase") ||
          !llvm::is_contained(Moves, MD->getName()))
        return nullptr;
      Cur = Member->getImplicitObjectArgument();
      continue;
    }
    const auto *Call = dyn_cast_or_null<CallExpr>(Cur);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    static constexpr llvm::StringLiteral Factories[] = {
        "zeros", "ones", "full", "tensor", "arange", "linspace", "eye"};
    if (!isTensorFactory(FD) || !llvm::is_contained(Factories, FD->getName()))
      return nullptr;
    return Call;
  }
  return nullptr;
}

namespace {

/// The module a ModuleHolder specialization holds, or null.
const CXXRecordDecl *heldModule(const CXXRecordDecl *RD) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getName() != "ModuleHolder" ||
      Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return nullptr;
  return recordOf(Spec->getTemplateArgs()[0].getAsType());
}

bool callsRandomly(const Stmt *S, unsigned Depth);

bool isRandomModuleImpl(const CXXRecordDecl *RD, unsigned Depth) {
  if (!RD || Depth > 2)
    return false;
  if (const CXXRecordDecl *Held = heldModule(RD))
    return isRandomModuleImpl(Held, Depth);
  if (RD->getDeclName().isIdentifier() &&
      (RD->getName().contains("Dropout") || RD->getName().starts_with("RReLU")))
    return true;
  if (!RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (isRandomModuleImpl(recordOf(Base.getType()), Depth + 1))
      return true;
  for (const CXXMethodDecl *MD : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (MD->getDeclName().isIdentifier() && MD->getName() == "forward" &&
        MD->hasBody(Def) && callsRandomly(Def->getBody(), Depth + 1))
      return true;
  }
  return false;
}

/// Whether \p S calls a random operation or a random module.
bool callsRandomly(const Stmt *S, unsigned Depth) {
  if (!S)
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (isRandomOperation(FD))
      return true;
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD))
      if (isModuleClass(MD->getParent()) &&
          isRandomModuleImpl(MD->getParent(), Depth))
        return true;
  }
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return callsRandomly(Child, Depth);
  });
}

} // namespace

bool isRandomModule(const CXXRecordDecl *RD) {
  return isRandomModuleImpl(RD, 0);
}

const Expr *enclosingTensorOperation(const Expr &E, const HotPathModel &Model) {
  const Stmt *Child = &E;
  for (const Stmt *Parent = Model.parentOf(E); Parent && isa<Expr>(Parent);
       Child = Parent, Parent = Model.parentOf(*Parent)) {
    const auto *Call = dyn_cast<CallExpr>(Parent);
    if (Call && isTensorType(Call->getType()) && Call != Child)
      return Call;
    if (isa<CallExpr>(Parent))
      return nullptr; // a call that does not return a tensor
  }
  return nullptr;
}

bool isRandomOperation(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  if (isInNamespace(FD, "torch::nn::init"))
    return true;
  if (!isInNamespace(FD, "at") && !isInNamespace(FD, "torch") &&
      !isRandomTensorFactory(FD))
    return false;
  llvm::StringRef Name = FD->getName();
  static constexpr llvm::StringLiteral Random[] = {
      "randperm",  "bernoulli",  "bernoulli_",   "multinomial", "normal",
      "normal_",   "uniform_",   "random_",      "exponential_",
      "geometric_", "cauchy_",   "log_normal_",  "poisson",     "rrelu",
      "rrelu_",    "dropout",    "dropout_",     "alpha_dropout",
      "feature_dropout", "feature_alpha_dropout"};
  return Name.starts_with("rand") || llvm::is_contained(Random, Name);
}

} // namespace trainlint
