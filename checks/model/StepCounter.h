//===--- StepCounter.h - conditions that make a step rare -------*- C++ -*-===//
//
// A statement in a training loop under `if (step % 100 == 0)` runs once every
// hundred steps: its cost is amortized. This is how the hot-path model finds
// the variables that count a loop's iterations and recognises the conditions
// on them that hold only on a few iterations.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_STEPCOUNTER_H
#define TRAINLINT_CHECKS_MODEL_STEPCOUNTER_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace trainlint {

/// The first reference in \p S to one of \p Vars (canonical declarations).
const clang::DeclRefExpr *
findRef(const clang::Stmt *S,
        const llvm::SmallPtrSetImpl<const clang::VarDecl *> &Vars);

/// Whether \p S refers to one of \p Vars.
bool mentions(const clang::Stmt *S,
              const llvm::SmallPtrSetImpl<const clang::VarDecl *> &Vars);

/// Whether \p Cond holds only on a few iterations of a loop counting with
/// \p Counters, or on none: `step % N == 0`, `(step + 1) % N == 0`,
/// `step % N == N - 1`, `step == K`, `step < K` with a constant K, `!step % N`
/// (nonzero on the first step only), the negation of a frequent condition
/// (`!(step % N)`, `!(step % N != 0)`), a conjunction with a rare side, a
/// disjunction of two rare ones, and a local variable initialized with one of
/// those and never written (`const bool LogNow = step % N == 0`).
bool isRareCondition(
    const clang::Expr *Cond,
    const llvm::SmallPtrSetImpl<const clang::VarDecl *> &Counters,
    const clang::ASTContext &Ctx);

/// Whether \p Cond fails only on a few iterations of a loop counting with
/// \p Counters: the negation of a rare condition (`step % N != 0`,
/// `step % N`, `step > K`), so that the `else` branch of an `if` on it is rare.
bool isFrequentCondition(
    const clang::Expr *Cond,
    const llvm::SmallPtrSetImpl<const clang::VarDecl *> &Counters,
    const clang::ASTContext &Ctx);

/// Adds to \p Counters the variables that count iterations of \p Loop
/// found in \p S: those declared outside the loop that it increments.
void collectCounters(const clang::Stmt *S, const clang::Stmt *Loop,
                     llvm::SmallPtrSetImpl<const clang::VarDecl *> &Counters,
                     const clang::SourceManager &SM);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_STEPCOUNTER_H
