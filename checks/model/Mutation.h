//===--- Mutation.h - which references may change a variable ----*- C++ -*-===//
//
// Whether code changes a variable or a member: assignments, increments,
// references that escape as non-const, non-const methods, lambdas that
// capture by reference, and, for tensors, the in-place operations that
// libtorch declares const (`t.add_(x)`, `t[i] = v`). A syntactic test over
// one function's code: clang's ExprMutationAnalyzer answers more thoroughly
// but builds a parent map of the whole translation unit, headers included,
// on first use.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_MUTATION_H
#define TRAINLINT_CHECKS_MODEL_MUTATION_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace trainlint {

/// Whether writes into a tensor's storage count as changing the variable
/// that holds it. They do not change which tensor it holds, nor its device.
enum class TensorWrites { Ignore, Count };

/// The references to one variable or member that may change it.
struct ModifyingReferences {
  /// The DeclRefExprs (variables) or MemberExprs (members) that are
  /// assigned to, incremented, have their address taken, are bound to a
  /// non-const or rvalue reference, or are the object of a non-const method
  /// (or, with TensorWrites::Count, of an in-place tensor operation).
  llvm::SmallPtrSet<const clang::Expr *, 8> Refs;
  /// A lambda captures the variable by reference, and may change it
  /// wherever it is called.
  bool CapturedByReference = false;

  bool any() const { return CapturedByReference || !Refs.empty(); }
};

/// Adds to \p Out the references in \p S that may change \p D, a variable
/// or a member (a member is matched whatever object it is reached through).
void collectModifyingReferences(const clang::Stmt *S, const clang::ValueDecl &D,
                                ModifyingReferences &Out,
                                TensorWrites Writes = TensorWrites::Ignore);

/// Whether \p S may change \p D, tensor storage included.
bool isModifiedIn(const clang::ValueDecl &D, const clang::Stmt &S);

/// Whether \p Call writes into the storage of its object tensor: an
/// in-place method (`add_`, `copy_`, `index_put_`) or an assignment
/// operator.
bool writesTensorInPlace(const clang::CallExpr &Call);

/// What happens to a tensor after the expression that makes it.
struct TensorValueUses {
  /// Written into in place, directly, through a view or a copy of the
  /// handle, through a variable initialized from it, or by a function of
  /// the file it is passed to: `t += x`, `t.fill_(0)`, `t.copy_(x)`,
  /// `t[i] = v`, `normalize(t)` where `normalize` calls `t.div_(...)`.
  bool WrittenInPlace = false;
  /// Kept beyond the code that uses it: returned, moved, assigned to a
  /// member, another variable or an element, stored into a container or an
  /// object of the user's class, passed by non-const reference or to a
  /// callee the code does not name, captured by a lambda, or its address
  /// taken; or a static variable holds it.
  bool Escapes = false;
};

/// The uses of the tensor that \p Value computes: its users are found by
/// walking up with \p ParentOf (HotPathModel::parentOf), and the references
/// in \p Scope to a variable initialized from it are followed the same way.
TensorValueUses
tensorValueUses(const clang::Expr &Value, const clang::Stmt &Scope,
                llvm::function_ref<const clang::Stmt *(const clang::Stmt &)>
                    ParentOf);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_MUTATION_H
