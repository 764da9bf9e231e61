//===--- LoopFacts.h - what a loop counts and what it leaves alone -*- C++ -*-=//
//
// What the inefficient-loop checks share: the counter of a counted loop and
// its trip count, whether an expression mentions that counter, and whether
// an expression computes the same value on every iteration of a loop (or on
// every call of a function), so that it could run once, before it. Every
// answer is conservative: an expression is invariant only when each value it
// reads is provably unchanged and each call it makes is known to be pure.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_LOOPFACTS_H
#define TRAINLINT_CHECKS_MODEL_LOOPFACTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace trainlint {

class HotPathModel;

/// The counter of a counted loop: `for (int i = 0; i < n; ++i)`,
/// `for (int64_t i = n - 1; i >= 0; --i)`, `for (auto i : c10::irange(n))`.
struct LoopCounter {
  const clang::VarDecl *Var = nullptr;
  /// What the counter runs up (or down) to, as written: `n`,
  /// `batch.size(0)`; null when the loop has no single bound.
  const clang::Expr *Bound = nullptr;
  /// The number of iterations, when the start and the bound are constants.
  std::optional<uint64_t> TripCount;
};

/// Whether \p S is a loop statement: for, range-for, while or do.
bool isLoopStatement(const clang::Stmt &S);

/// The counter of \p Loop (a ForStmt or a range-for over `c10::irange`,
/// `torch::irange` or `std::views::iota`), or nothing for other loops.
std::optional<LoopCounter> loopCounterOf(const clang::Stmt &Loop,
                                         const clang::ASTContext &Ctx);

/// Whether \p E reads \p Var (an index such as `i`, `i + 1`, `2 * i`,
/// `static_cast<int64_t>(i)`).
bool mentionsVariable(const clang::Stmt *E, const clang::VarDecl &Var);

/// What isInvariantIn() accepts besides plain values and known pure calls.
struct InvariancePolicy {
  /// Calls of a module (`net->forward(x)`, `net(x)`) compute the same for
  /// the same input when the module itself is not changed in the region;
  /// whether an optimizer changes its parameters is for the caller to say.
  bool AllowModuleCalls = false;
};

/// Whether \p E computes the same value on every iteration of \p Region, a
/// loop, or on every run of \p Region, a function body (where the
/// function's parameters differ from call to call). It holds when every
/// variable and member \p E reads is unchanged in the region (or declared in
/// it from an invariant value and never changed), and every call is pure:
/// non-random tensor factories and operations, TensorOptions and device
/// builders, size queries, arithmetic. Random operations, and calls of
/// random modules (isRandomModule), never are.
bool isInvariantIn(const clang::Expr &E, const clang::Stmt &Region,
                   const clang::ASTContext &Ctx, InvariancePolicy Policy = {});

/// One tensor operation that reads or writes a single element, row or
/// slice of a tensor through integer indexes.
struct ElementAccess {
  /// The indexed tensor, as written: `t` in `t[i]`, `t[i]` in `t[i][j]`.
  const clang::Expr *Tensor = nullptr;
  /// The integer indexes, as written: `i` in `t[i]` and `t.select(0, i)`,
  /// `i` and `j` in `t.index({i, Slice(), j})`; tensor and slice indexes
  /// are left out.
  llvm::SmallVector<const clang::Expr *, 2> Indices;
  /// The dimension of the first index when it is known: 0 for `t[i]` and
  /// for an integer first index of `t.index({i, ...})`, `d` for
  /// `t.select(d, i)` and `t.narrow(d, i, 1)` with a constant `d`.
  std::optional<int64_t> FirstDim;
  /// `t.index_put_({i}, v)`: the access writes the element.
  bool Writes = false;
};

/// \p E (through the nodes the source does not spell) as an access of a
/// tensor's element by integer indexes: `t[i]` (Tensor::operator[] with an
/// integer or scalar index), `t.select(d, i)`, `t.index({i, ...})`,
/// `t.index_put_({i, ...}, v)`, `t.narrow(d, i, 1)`. Nothing for other
/// expressions, and for accesses with no integer index (`t[mask]`,
/// `t.index({Slice(), mask})`).
std::optional<ElementAccess> asElementAccess(const clang::Expr &E,
                                             const clang::ASTContext &Ctx);

/// The outermost of \p Loops (innermost first, as
/// HotPathModel::enclosingLoops lists them) in which \p E is invariant,
/// going outwards while it stays so; null when \p E varies in the innermost.
const clang::Stmt *outermostInvariantLoop(const clang::Expr &E,
                                          llvm::ArrayRef<const clang::Stmt *> Loops,
                                          const clang::ASTContext &Ctx,
                                          InvariancePolicy Policy = {});

/// The factory call that \p E is, alone or followed by moves to a device
/// or a dtype (`torch::ones({n}).to(device)`): `zeros`, `ones`, `full`,
/// `tensor`, `arange`, `linspace` or `eye`. Null for anything else, random
/// factories included.
const clang::CallExpr *bareTensorFactory(const clang::Expr &E);

/// Whether a call of the module \p RD (a module class or a holder of one)
/// draws random numbers: a dropout or RReLU module, or a module whose
/// `forward`, where it is defined in the file, calls a random operation or
/// such a module.
bool isRandomModule(const clang::CXXRecordDecl *RD);

/// The tensor operation that uses \p E as an operand (`t.triu(1)`,
/// `x * t`, `torch::matmul(t, x)`), found through \p Model's parents; null
/// when \p E is not an operand of one, or is one of a call that returns no
/// tensor.
const clang::Expr *enclosingTensorOperation(const clang::Expr &E,
                                            const HotPathModel &Model);

/// Whether \p FD draws random numbers: `rand`, `randn`, `randint`,
/// `randperm`, `bernoulli`, `multinomial`, `normal`, `dropout`, and the
/// in-place `uniform_` and `normal_`.
bool isRandomOperation(const clang::FunctionDecl *FD);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_LOOPFACTS_H
