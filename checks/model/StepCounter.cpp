//===--- StepCounter.cpp - conditions that make a step rare ---------------===//

#include "StepCounter.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

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

} // namespace

const DeclRefExpr *findRef(const Stmt *S,
                           const llvm::SmallPtrSetImpl<const VarDecl *> &Vars) {
  if (!S)
    return nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (Vars.count(VD->getCanonicalDecl()))
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

/// Whether \p Cond holds only on a few iterations of a loop counting with
/// \p Counters: `step % N == 0`, `step == K`, `step < K` with a constant K,
/// `!(step % N)`, and conjunctions that contain one of those.
bool isRareCondition(const Expr *Cond,
                     const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
                     const ASTContext &Ctx) {
  if (!Cond || Counters.empty())
    return false;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    return UO->getOpcode() == UO_LNot && hasModulo(UO->getSubExpr()) &&
           mentions(UO->getSubExpr(), Counters);
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO)
    return false;
  const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
  const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
  switch (BO->getOpcode()) {
  case BO_LAnd:
    return isRareCondition(L, Counters, Ctx) ||
           isRareCondition(R, Counters, Ctx);
  case BO_LOr:
    return isRareCondition(L, Counters, Ctx) &&
           isRareCondition(R, Counters, Ctx);
  case BO_EQ:
    return mentions(L, Counters) != mentions(R, Counters);
  case BO_LT:
  case BO_LE:
    // The first few steps (warm-up) only.
    return mentions(L, Counters) && !hasModulo(L) &&
           R->isIntegerConstantExpr(Ctx);
  case BO_GT:
  case BO_GE:
    return mentions(R, Counters) && !hasModulo(R) &&
           L->isIntegerConstantExpr(Ctx);
  default:
    return false;
  }
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
