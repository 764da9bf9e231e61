//===--- StepCounter.cpp - conditions that make a step rare ---------------===//

#include "StepCounter.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
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

/// Works out the shapes of expressions over \p Counters.
class ShapeFinder {
public:
  ShapeFinder(const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
              const ASTContext &Ctx)
      : Counters(Counters), Ctx(Ctx) {}

  Shape shapeOf(const Expr *E) const {
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
    Shape S = shapeOfUncast(E);
    S.Bool |= ToBool;
    return S;
  }

private:
  Shape shapeOfUncast(const Expr *E) const {
    Shape Other;
    Other.Bool = E->getType()->isBooleanType();
    Other.Varies = mentions(E, Counters);

    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (refersTo(DRE, Counters)) {
        // The counter is zero on one step only.
        return {Frequency::Frequent, false, true};
      }
      return Other;
    }

    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_LNot)
        return Other;
      Shape Sub = shapeOf(UO->getSubExpr());
      return {negate(Sub.Truth), true, Sub.Varies};
    }

    const auto *BO = dyn_cast<BinaryOperator>(E);
    if (!BO)
      return Other;
    Shape L = shapeOf(BO->getLHS());
    Shape R = shapeOf(BO->getRHS());
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
