//===--- HotPath.h - is this statement on the training hot path? -*- C++ -*-=//
//
// The hot-path model is computed once per translation unit and shared by all
// checks. It classifies the loops of the user's code (training step loops,
// evaluation loops, CUDA step loops), follows calls made from them a few
// levels deep, and recognises code that a condition on the step counter makes
// rare (`if (step % 100 == 0)`).
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_HOTPATH_H
#define TRAINLINT_CHECKS_MODEL_HOTPATH_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>

namespace trainlint {

/// What makes a loop hot.
enum class LoopKind {
  /// Runs a backward pass or an optimizer step, or iterates a data loader
  /// and trains, once per iteration.
  Training,
  /// Iterates a data loader or calls a module's forward, with no backward.
  Evaluation,
  /// Launches device work (kernels, graphs, library kernels) per iteration.
  CudaStep,
};

/// "training loop", "evaluation loop" or "CUDA step loop", for messages.
llvm::StringRef loopKindName(LoopKind Kind);

/// Why a statement is on the hot path.
struct HotContext {
  LoopKind Kind = LoopKind::Training;
  /// The step loop that makes the statement hot.
  const clang::Stmt *Loop = nullptr;
  /// The calls from the loop to the function that holds the statement; the
  /// first is inside the loop. Empty when the statement is in the loop itself.
  llvm::SmallVector<const clang::CallExpr *, 4> CallChain;
  /// A condition on the step counter (`step % N == 0`, `step == 0`) that the
  /// statement or a call on the way sits under, so that it runs rarely.
  const clang::Expr *Gate = nullptr;

  bool isGated() const { return Gate != nullptr; }
};

class HotPathModel {
public:
  /// The model of \p Ctx's translation unit, built on first use and freed with
  /// the ASTContext. Safe to call from several threads, one AST each.
  static const HotPathModel &get(clang::ASTContext &Ctx);

  explicit HotPathModel(clang::ASTContext &Ctx);
  ~HotPathModel();
  HotPathModel(const HotPathModel &) = delete;
  HotPathModel &operator=(const HotPathModel &) = delete;

  /// Why \p S is on the hot path, or nothing when it is not. Gated statements
  /// are returned with their gate set; each check decides what that means.
  std::optional<HotContext> classify(const clang::Stmt &S) const;

  /// The kind of \p Loop when it is a step loop or nested in one.
  std::optional<LoopKind> loopKind(const clang::Stmt &Loop) const;

  /// False when nothing in the user's code names an accelerator (a CUDA
  /// device, `.cuda()`, the CUDA runtime, a device chosen at run time): then
  /// every tensor lives on the CPU and nothing synchronizes.
  bool mayUseAccelerator() const;

  /// How many calls deep the model follows from a loop.
  static constexpr unsigned MaxCallDepth = 3;

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_HOTPATH_H
