//===--- StepCounter.cpp - conditions that make a step rare ---------------===//

#include "StepCounter.h"
#include "LoopFacts.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace trainlint {

using namespace clang;

namespace {

bool hasModulo(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return BO->getOpcode() == BO_Rem || hasModulo(BO->getLHS()) ||
           hasModulo(BO->getRHS());
  return false;
}

bool refersTo(const DeclRefExpr *DRE,
              const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  return VD && Vars.count(VD->getCanonicalDecl());
}

/// Whether \p S does anything to one of \p Vars but load its value: assign
/// it, increment it, take its address, bind a reference to it (which may
/// write it later), or anything else that is not a plain read.
bool mayWrite(const Stmt *S,
              const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  if (!S)
    return false;
  // A variable named here is only read when its parent loads its value;
  // parentheses stand between the two, so they are looked through.
  const auto *Load = dyn_cast<ImplicitCastExpr>(S);
  bool Loads = Load && Load->getCastKind() == CK_LValueToRValue;
  for (const Stmt *Child : S->children()) {
    if (!Child)
      continue;
    const Stmt *Inner = Child;
    while (const auto *Paren = dyn_cast<ParenExpr>(Inner))
      Inner = Paren->getSubExpr();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Inner)) {
      if (!Loads && refersTo(DRE, Vars))
        return true;
      continue;
    }
    if (mayWrite(Inner, Vars))
      return true;
  }
  return false;
}

/// Collects in \p Loops the loops in \p S around \p Target, outermost first;
/// false when \p Target is not in \p S.
bool loopsAround(const Stmt *S, const Stmt *Target,
                 llvm::SmallVectorImpl<const Stmt *> &Loops) {
  if (!S)
    return false;
  if (S == Target)
    return true;
  bool Loop = isLoopStatement(*S);
  if (Loop)
    Loops.push_back(S);
  for (const Stmt *Child : S->children())
    if (loopsAround(Child, Target, Loops))
      return true;
  if (Loop)
    Loops.pop_back();
  return false;
}

/// How often a value is nonzero, over the iterations of a loop.
enum class Frequency { Unknown, Rare, Frequent };

Frequency negate(Frequency F) {
  switch (F) {
  case Frequency::Rare:
    return Frequency::Frequent;
  case Frequency::Frequent:
    return Frequency::Rare;
  case Frequency::Unknown:
    return Frequency::Unknown;
  }
  return Frequency::Unknown;
}

/// What is known of an expression's value over the iterations of a loop.
struct Shape {
  /// How often it is nonzero: `step % N == 0` rarely, `step % N` and the
  /// counter itself on all but a few iterations.
  Frequency Truth = Frequency::Unknown;
  /// It is 0 or 1 (a comparison, `!`, a `bool`), not a number that follows
  /// the counter.
  bool Bool = false;
  /// It changes with the counter.
  bool Varies = false;
};

/// Works out the shapes of expressions over \p Counters, following the local
/// flags that hold a condition on them (`bool log = step % N == 0`).
class ShapeFinder {
public:
  ShapeFinder(const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
              const ASTContext &Ctx)
      : Counters(Counters), Ctx(Ctx) {}

  Shape shapeOf(const Expr *E, unsigned Depth = 0) const {
    // The conversions around a condition (integer promotions, loads) keep
    // whether its value is zero; one to bool makes it 0 or 1.
    bool ToBool = false;
    for (;;) {
      E = E->IgnoreParens();
      if (const auto *Cast = dyn_cast<CastExpr>(E)) {
        ToBool |= Cast->getType()->isBooleanType();
        E = Cast->getSubExpr();
      } else if (const auto *Full = dyn_cast<FullExpr>(E)) {
        E = Full->getSubExpr();
      } else {
        break;
      }
    }
    Shape S = shapeOfUncast(E, Depth);
    S.Bool |= ToBool;
    return S;
  }

private:
  // Flags are followed this many deep: a flag made of flags is rare in
  // training code, and a variable's initializer may name the variable.
  static constexpr unsigned MaxFlagDepth = 4;

  Shape shapeOfUncast(const Expr *E, unsigned Depth) const {
    Shape Other;
    Other.Bool = E->getType()->isBooleanType();
    Other.Varies = mentions(E, Counters);

    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (refersTo(DRE, Counters)) {
        // The counter is zero on one step only.
        return {Frequency::Frequent, false, true};
      }
      if (auto Flag = flagShape(DRE, Depth))
        return *Flag;
      return Other;
    }

    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_LNot)
        return Other;
      Shape Sub = shapeOf(UO->getSubExpr(), Depth);
      return {negate(Sub.Truth), true, Sub.Varies};
    }

    const auto *BO = dyn_cast<BinaryOperator>(E);
    if (!BO)
      return Other;
    Shape L = shapeOf(BO->getLHS(), Depth);
    Shape R = shapeOf(BO->getRHS(), Depth);
    bool Varies = L.Varies || R.Varies;
    switch (BO->getOpcode()) {
    case BO_LAnd:
      // Holds only where a rare side holds; fails only where a side fails.
      if (L.Truth == Frequency::Rare || R.Truth == Frequency::Rare)
        return {Frequency::Rare, true, Varies};
      if (L.Truth == Frequency::Frequent && R.Truth == Frequency::Frequent)
        return {Frequency::Frequent, true, Varies};
      return {Frequency::Unknown, true, Varies};
    case BO_LOr:
      // The dual: holds where either side holds.
      if (L.Truth == Frequency::Rare && R.Truth == Frequency::Rare)
        return {Frequency::Rare, true, Varies};
      if (L.Truth == Frequency::Frequent || R.Truth == Frequency::Frequent)
        return {Frequency::Frequent, true, Varies};
      return {Frequency::Unknown, true, Varies};
    case BO_Rem:
      if (!L.Varies || R.Varies)
        return Other;
      // `!step % N` is `(!step) % N`: zero but on the first step.
      if (L.Truth == Frequency::Rare)
        return {Frequency::Rare, false, true};
      if (L.Bool)
        return Other;
      // A number that follows the counter, modulo N, is zero once every N
      // steps.
      return {Frequency::Frequent, false, true};
    case BO_EQ:
    case BO_NE: {
      if (L.Varies == R.Varies)
        return {Frequency::Unknown, true, Varies};
      const Shape &Counted = L.Varies ? L : R;
      const Expr *Fixed = L.Varies ? BO->getRHS() : BO->getLHS();
      Frequency Equal = equality(Counted, Fixed);
      return {BO->getOpcode() == BO_EQ ? Equal : negate(Equal), true, true};
    }
    case BO_LT:
    case BO_LE:
    case BO_GT:
    case BO_GE: {
      if (L.Varies == R.Varies)
        return {Frequency::Unknown, true, Varies};
      // With the counter on the left: `step < K` holds on the first few
      // steps (warm-up) and `step > K` on all but those.
      bool Below = BO->getOpcode() == BO_LT || BO->getOpcode() == BO_LE;
      if (R.Varies)
        Below = !Below;
      const Expr *Counted = L.Varies ? BO->getLHS() : BO->getRHS();
      const Expr *Bound = L.Varies ? BO->getRHS() : BO->getLHS();
      // A remainder or a truth value does not grow with the counter, and a
      // bound that is not a constant may be the loop's own end.
      if ((L.Varies ? L : R).Bool || hasModulo(Counted) ||
          !Bound->isIntegerConstantExpr(Ctx))
        return {Frequency::Unknown, true, true};
      return {Below ? Frequency::Rare : Frequency::Frequent, true, true};
    }
    default:
      return Other;
    }
  }

  /// How often `Counted == Fixed` holds, where only \p Counted changes with
  /// the counter.
  Frequency equality(const Shape &Counted, const Expr *Fixed) const {
    std::optional<llvm::APSInt> K = Fixed->getIntegerConstantExpr(Ctx);
    // Mostly zero (`!step`, `step == 0`): equal to zero on most steps.
    if (Counted.Truth == Frequency::Rare) {
      if (!K)
        return Frequency::Unknown;
      return K->isZero() ? Frequency::Frequent : Frequency::Rare;
    }
    // A truth value that mostly holds is 1 on most steps.
    if (Counted.Bool) {
      if (!K || Counted.Truth != Frequency::Frequent)
        return Frequency::Unknown;
      return *K == 1 ? Frequency::Frequent : Frequency::Rare;
    }
    // A number that follows the counter (`step`, `step % N`, `(step + 1) %
    // N`) takes any one value on a few steps only.
    return Frequency::Rare;
  }

  /// The shape of a local flag's initializer (`bool log = step % N == 0`),
  /// when that is what the flag holds wherever \p Use reads it.
  std::optional<Shape> flagShape(const DeclRefExpr *Use, unsigned Depth) const {
    const auto *VD = dyn_cast<VarDecl>(Use->getDecl());
    if (!VD || Depth >= MaxFlagDepth || !VD->hasLocalStorage() ||
        isa<ParmVarDecl>(VD) || !VD->getInit() ||
        !VD->getType()->isIntegralOrEnumerationType() ||
        VD->getType().isVolatileQualified())
      return std::nullopt;
    const auto *FD = dyn_cast<FunctionDecl>(VD->getDeclContext());
    if (!FD || !FD->getBody())
      return std::nullopt;
    Shape Init = shapeOf(VD->getInit(), Depth + 1);
    if (!Init.Varies)
      return std::nullopt;
    const Stmt *Body = FD->getBody();
    llvm::SmallPtrSet<const VarDecl *, 1> Self = {VD->getCanonicalDecl()};
    // A flag assigned after its initialization holds something else there.
    if (!VD->getType().isConstQualified() && mayWrite(Body, Self))
      return std::nullopt;
    // The flag holds its condition for the iteration in which it was
    // initialized. A loop that encloses the read but not the declaration
    // reads it on several of its iterations: if that loop moves the
    // counter, the flag is stale there.
    llvm::SmallVector<const Stmt *, 4> DeclLoops, UseLoops;
    if (!loopsAround(Body, VD->getInit(), DeclLoops) ||
        !loopsAround(Body, Use, UseLoops))
      return std::nullopt;
    llvm::SmallPtrSet<const VarDecl *, 4> Read;
    countersRead(VD->getInit(), Read, Depth + 1);
    for (const Stmt *Loop : UseLoops)
      if (!llvm::is_contained(DeclLoops, Loop) && mayWrite(Loop, Read))
        return std::nullopt;
    Init.Bool |= VD->getType()->isBooleanType();
    return Init;
  }

  /// Collects in \p Found the counters that \p S reads, directly or through
  /// the initializers of the local variables it reads.
  void countersRead(const Stmt *S,
                    llvm::SmallPtrSetImpl<const VarDecl *> &Found,
                    unsigned Depth) const {
    if (!S)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (Counters.count(VD->getCanonicalDecl()))
          Found.insert(VD->getCanonicalDecl());
        else if (VD->hasLocalStorage() && Depth < MaxFlagDepth)
          countersRead(VD->getInit(), Found, Depth + 1);
      }
    }
    for (const Stmt *Child : S->children())
      countersRead(Child, Found, Depth);
  }

  const llvm::SmallPtrSetImpl<const VarDecl *> &Counters;
  const ASTContext &Ctx;
};

} // namespace

const DeclRefExpr *findRef(const Stmt *S,
                           const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  if (!S)
    return nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (refersTo(DRE, Vars))
      return DRE;
  for (const Stmt *Child : S->children())
    if (const DeclRefExpr *Found = findRef(Child, Vars))
      return Found;
  return nullptr;
}

bool mentions(const Stmt *S,
              const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  return findRef(S, Vars) != nullptr;
}

bool isRareCondition(const Expr *Cond,
                     const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
                     const ASTContext &Ctx) {
  if (!Cond || Counters.empty())
    return false;
  return ShapeFinder(Counters, Ctx).shapeOf(Cond).Truth == Frequency::Rare;
}

bool isFrequentCondition(const Expr *Cond,
                         const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
                         const ASTContext &Ctx) {
  if (!Cond || Counters.empty())
    return false;
  return ShapeFinder(Counters, Ctx).shapeOf(Cond).Truth == Frequency::Frequent;
}

/// Variables that count iterations of \p Loop: those declared in its init
/// and those declared outside it that it increments.
void collectCounters(const Stmt *S, const Stmt *Loop,
                     llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
                     const SourceManager &SM) {
  if (!S)
    return;
  auto AddIfOutside = [&](const Expr *E) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (!SM.isBeforeInTranslationUnit(Loop->getBeginLoc(),
                                          VD->getLocation()) ||
            !SM.isBeforeInTranslationUnit(VD->getLocation(),
                                          Loop->getEndLoc()))
          Counters.insert(VD->getCanonicalDecl());
  };
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp())
      AddIfOutside(UO->getSubExpr());
  } else if (const auto *CAO = dyn_cast<CompoundAssignOperator>(S)) {
    if (CAO->getOpcode() == BO_AddAssign || CAO->getOpcode() == BO_SubAssign)
      AddIfOutside(CAO->getLHS());
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    // step = step + 1
    if (BO->getOpcode() == BO_Assign)
      if (const auto *Sum =
              dyn_cast<BinaryOperator>(BO->getRHS()->IgnoreParenImpCasts()))
        if (Sum->getOpcode() == BO_Add)
          if (const auto *LHS =
                  dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
            if (const auto *SumL = dyn_cast<DeclRefExpr>(
                    Sum->getLHS()->IgnoreParenImpCasts()))
              if (LHS->getDecl() == SumL->getDecl())
                AddIfOutside(BO->getLHS());
  }
  if (isa<LambdaExpr>(S))
    return;
  for (const Stmt *Child : S->children())
    collectCounters(Child, Loop, Counters, SM);
}

} // namespace trainlint
