//===--- LoaderBatches.h - what a training loop does with a loader's batches -*- C++ -*-===//
//
// A range-for over a data loader (`for (auto &batch : *loader)`) hands the
// loop one batch per step: an `Example<>` whose tensors are stacked when the
// dataset maps a collation such as Stack<>, or a `std::vector<Example<>>` of
// single examples when it maps none. The checks of the torch-data family
// ask which expressions of the loop are the batch's tensors, and which walk
// the examples of an unstacked batch one by one.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_LOADERBATCHES_H
#define TRAINLINT_CHECKS_MODEL_LOADERBATCHES_H

#include "HotPath.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace trainlint {

/// `std::vector<torch::data::Example<...>>`: the batch of a loader over a
/// dataset without a collation.
bool isUnstackedBatchType(clang::QualType T);

/// The range-for over a data loader whose loop variable is \p Batch, when
/// that loop encloses \p Use (a statement that reads \p Batch). Null
/// otherwise.
const clang::CXXForRangeStmt *loaderLoopOf(const clang::VarDecl &Batch,
                                           const clang::Stmt &Use,
                                           const HotPathModel &Model);

/// An inner loop that visits the examples of an unstacked batch one by one.
struct ExampleWalk {
  /// The loop over the examples: `for (auto &example : batch)`, or a
  /// counted loop that indexes `batch[i]`.
  const clang::Stmt *Loop = nullptr;
  /// The batch variable, the loop variable of the loader loop.
  const clang::VarDecl *Batch = nullptr;
  /// The range-for over the loader.
  const clang::CXXForRangeStmt *LoaderLoop = nullptr;
};

/// Whether \p E reads one example of an unstacked loader batch inside a loop
/// over that batch's examples: the example variable of a range-for over the
/// batch, `batch[i]` or `batch.at(i)` with the counter of a loop around
/// \p E, or a local variable of that loop initialized from one of these.
std::optional<ExampleWalk> exampleWalkOf(const clang::Expr &E,
                                         const HotPathModel &Model);

/// Whether \p E is, up to conversions of its element type (`to(kFloat)`,
/// `toType`) and a local variable that holds it, the `data` or `target`
/// tensor of a stacked batch that a loader loop around \p E yields
/// (`batch.data`). Moves to a device are not conversions: what follows
/// them runs on the device.
bool isStackedBatchTensor(const clang::Expr &E, const HotPathModel &Model);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_LOADERBATCHES_H
