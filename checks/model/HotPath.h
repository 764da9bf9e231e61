//===--- HotPath.h - is this statement on the training hot path? -*- C++ -*-=//
//
// The hot-path model is computed once per translation unit and shared by all
// checks. It classifies the loops of the user's code (training step loops,
// evaluation loops, CUDA step loops), follows calls made from them a few
// levels deep, and recognises code that a condition on the step counter makes
// rare (`if (step % 100 == 0)`).
//
// The decisions are made on the unit's ProjectGraph (ProjectGraph.h), which
// can be joined with a project's graph: with `trainlint.Summary` naming the
// summary of a project run, a function called from a training loop in
// another file is hot here too. In the workers of `trainlint check`
// (`trainlint.ProjectRun`), whatever only the whole project can decide is
// deferred to it: see HotContext::Deferred.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_HOTPATH_H
#define TRAINLINT_CHECKS_MODEL_HOTPATH_H

#include "ProjectGraph.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>
#include <string>

namespace trainlint {

/// How a check may treat an unknown device, `trainlint.AssumeAccelerator`.
enum class AcceleratorAssumption {
  /// By the code: CPU-only only where every device is provably the CPU.
  Auto,
  /// Every tensor may be on an accelerator.
  Always,
  /// The project runs on the CPU only: nothing synchronizes.
  Never,
};

std::optional<AcceleratorAssumption>
parseAcceleratorAssumption(llvm::StringRef Value);

inline constexpr llvm::StringLiteral AssumeAcceleratorOptionKey =
    "trainlint.AssumeAccelerator";
inline constexpr llvm::StringLiteral SummaryOptionKey = "trainlint.Summary";
inline constexpr llvm::StringLiteral ProjectRunOptionKey =
    "trainlint.ProjectRun";

/// What the models of a translation unit are built with; the checks set it
/// from their options before the unit is parsed.
struct HotPathOptions {
  AcceleratorAssumption Accelerator = AcceleratorAssumption::Auto;
  /// A summary written by `trainlint check --export-summary`, whose project
  /// graph joins the unit's own.
  std::string SummaryFile;
  /// Set by `trainlint check` for its workers: findings whose hot path only
  /// the whole project can decide are deferred to it.
  bool ProjectRun = false;
};

/// The options models built from now on use. clang-tidy creates the checks
/// of each translation unit, which call this, before it parses the unit.
void setHotPathOptions(HotPathOptions Options);
HotPathOptions hotPathOptions();

/// One call on the way from a step loop to the statement.
struct HotCall {
  /// Where the call is; in another file when the caller is elsewhere.
  clang::SourceLocation Where;
  /// The callee's name as diagnostics print it.
  std::string CalleeName;
  /// The call, when it is in this translation unit.
  const clang::CallExpr *Call = nullptr;
  /// The callee reads a clock (known from a project summary).
  bool CalleeTimesItself = false;
};

/// Why a statement is on the hot path.
struct HotContext {
  LoopKind Kind = LoopKind::Training;
  /// The step loop that makes the statement hot, when it is in this
  /// translation unit.
  const clang::Stmt *Loop = nullptr;
  /// Where that loop starts, in this file or another.
  clang::SourceLocation LoopLoc;
  /// The loop, elsewhere, reads a clock (known from a project summary).
  bool LoopTimesItself = false;
  /// The calls from the loop to the function that holds the statement; the
  /// first is inside the loop. Empty when the statement is in the loop itself.
  llvm::SmallVector<HotCall, 4> CallChain;
  /// The statement or a call on the way sits under a condition on the step
  /// counter (`step % N == 0`, `step == 0`), so that it runs rarely.
  bool Gated = false;
  /// Set in a project run when only the project can decide: the kind is
  /// LoopKind::Undecided, there is no loop and no gate, and `trainlint
  /// check` keeps or drops the finding.
  std::optional<DeferredHotPath> Deferred;

  bool isGated() const { return Gated; }
};

/// The answer to a check that reports what a loop or a function lacks
/// (HotPathModel::lacks): the finding holds, here or, with Deferred, once
/// `trainlint check` has seen the calls that lead out of the unit.
struct Lack {
  std::optional<DeferredHotPath> Deferred;
};

/// Where a function last sets a module's mode before a statement
/// (HotPathModel::modeBefore).
struct ModeSetting {
  ModuleMode Mode = ModuleMode::Unknown;
  /// The call that sets it: `model->eval()`, `model->train(flag)`, or a
  /// call to a function that sets one. Null when nothing sets one.
  const clang::Stmt *Where = nullptr;
};

/// A finding that holds where both \p A and \p B hold, with one deferred
/// condition for the project when either leaves one (bothHold()).
Lack bothHold(const Lack &A, const Lack &B);

/// Whether a check accepts a deferred context from classify().
enum class Deferral { Allow, Forbid };

class HotPathModel {
public:
  /// The model of \p Ctx's translation unit, built on first use with the
  /// current HotPathOptions and freed with the ASTContext. Safe to call from
  /// several threads, one AST each.
  static const HotPathModel &get(clang::ASTContext &Ctx);

  HotPathModel(clang::ASTContext &Ctx, HotPathOptions Options);
  explicit HotPathModel(clang::ASTContext &Ctx)
      : HotPathModel(Ctx, hotPathOptions()) {}
  ~HotPathModel();
  HotPathModel(const HotPathModel &) = delete;
  HotPathModel &operator=(const HotPathModel &) = delete;

  /// Why \p S is on the hot path, or nothing when it is not. Gated statements
  /// are returned with their gate set; each check decides what that means.
  /// In a project run, a statement that is not in a step loop of its own
  /// function gets a deferred context. With Deferral::Forbid, the unit
  /// alone decides, without a summary's graph too.
  std::optional<HotContext> classify(const clang::Stmt &S,
                                     Deferral D = Deferral::Allow) const;

  /// The kind of \p Loop when it is a step loop or nested in one.
  std::optional<LoopKind> loopKind(const clang::Stmt &Loop) const;

  /// The loops of its own function around \p S, innermost first. A loop's
  /// header (a for-loop's init, a range-for's range) runs once, before the
  /// loop, so it is not inside it. Empty outside the user's function bodies.
  llvm::SmallVector<const clang::Stmt *, 4>
  enclosingLoops(const clang::Stmt &S) const;

  /// The statement that holds \p S in the user's function bodies, or null.
  /// Checks walk up with this instead of clang's parent map, which covers
  /// the whole translation unit and costs a sixth of a libtorch parse.
  const clang::Stmt *parentOf(const clang::Stmt &S) const;

  /// The parent of \p S that the source spells: past implicit casts,
  /// temporaries, cleanups and parentheses. Null at the top.
  const clang::Stmt *writtenParentOf(const clang::Stmt &S) const;

  /// The function whose body holds \p S, or null.
  const clang::FunctionDecl *enclosingFunction(const clang::Stmt &S) const;

  /// Whether \p S, inside \p Loop, runs on a few of its iterations only: it
  /// sits under a condition on one of the loop's counters such as
  /// `step % N == 0` (StepCounter.h).
  bool isRareIn(const clang::Stmt &S, const clang::Stmt &Loop) const;

  /// Whether \p Loop is an epoch loop: not a step loop, nor nested in one,
  /// while each of its iterations trains, in a training loop nested in it or
  /// in a function it calls (`for (epoch...) { for (batch : *loader) ... }`,
  /// `for (epoch...) trainEpoch(...)`). A loop around an epoch loop (over
  /// cross-validation folds, over trials) is one too.
  bool isEpochLoop(const clang::Stmt &Loop) const;

  /// Whether \p S runs under a guard that its own branch turns off: an `if`
  /// between \p S and \p Within (or, when \p Within is null or does not
  /// hold \p S, its function's body) whose condition reads a variable or
  /// member that outlives the region and that the branch writes:
  /// `if (!buf) cudaMalloc(&buf, n);`, `if (n > capacity) { ...; capacity =
  /// n; }`, `if (!optimizer) optimizer = ...;`. Lazy initialization and
  /// growth run on a few iterations only.
  bool isGuardedInit(const clang::Stmt &S,
                     const clang::Stmt *Within = nullptr) const;

  /// What \p Loop does on its iterations, as Signal bits (ProjectGraph.h,
  /// TrainingFeatures.h): its statements, its nested loops and everything
  /// its calls do, as far as the unit and a summary know, with
  /// OpaqueCallSignal when it calls the user's code that neither defines.
  /// OpaqueCallSignal alone for a statement that is not a loop of the user's
  /// code.
  unsigned signalsIn(const clang::Stmt &Loop) const;

  /// What \p Function does, with everything its calls do, as signalsIn.
  unsigned signalsOf(const clang::FunctionDecl &Function) const;

  /// What \p Function does outside its own training loops, as signalsOf: a
  /// function that trains in one loop and evaluates in another does no
  /// backward outside them; one that runs forward passes in a loop and
  /// backward after it does.
  unsigned signalsOutsideTrainingLoops(const clang::FunctionDecl &Function) const;

  /// The mode in which \p S, a statement of the user's function bodies,
  /// finds the modules, as far as its function says: the last eval() or
  /// train() (or call to a function that makes one) before it in source
  /// order, searched from the innermost loop around \p S outwards. Inside a
  /// loop, a setting after \p S counts when nothing in the loop sets one
  /// before it, since the next iteration reaches \p S after it. What
  /// \p S itself holds does not count. The model does not tell modules
  /// apart: a program's modules usually change mode together.
  ModeSetting modeBefore(const clang::Stmt &S) const;

  /// The signals of every statement of the unit's functions and, with a
  /// summary, of the project's: what the program does somewhere.
  unsigned programSignals() const;

  /// For a finding about what \p Loop (or, when it is null, \p Function)
  /// lacks: whether it does every signal of \p MustDo and none of \p
  /// MustLack. Nothing when it does not, and nothing when a call leads
  /// out of what the unit and a summary know, since the code there may do
  /// it; in a project run, such a finding is deferred to the project.
  std::optional<Lack> lacks(const clang::Stmt *Loop,
                            const clang::FunctionDecl *Function,
                            unsigned MustDo, unsigned MustLack) const;

  /// For a finding about what the whole program does or lacks, wherever it
  /// does it: whether programSignals() has every signal of \p MustDo and
  /// none of \p MustLack. In a project run, what another unit may do is
  /// deferred to the project (DeferredHotPath::ProgramMustDo, ProgramMustLack).
  std::optional<Lack> programLacks(unsigned MustDo, unsigned MustLack) const;

  /// For a finding that holds only where the program runs on the CPU alone:
  /// nothing when the unit (with a summary, the project) names an
  /// accelerator or leaves the device to run time, or the options assume an
  /// accelerator. In a project run, whether another unit names one is
  /// deferred to the project (DeferredHotPath::NeedsCpuOnly).
  std::optional<Lack> cpuOnlyProgram() const;

  /// Whether \p Loop is a step loop itself, not a loop nested in one: the
  /// loop that a finding about what training lacks points at.
  bool isStepLoop(const clang::Stmt &Loop) const;

  /// The calls to \p Function that the unit and a summary know, with
  /// whether each is made with gradient recording off (a no-grad guard in
  /// scope at the call). The second is false when some call may be made
  /// from code neither knows (the function is visible outside the unit and
  /// no summary was given).
  std::pair<std::vector<GraphCall>, bool>
  callsTo(const clang::FunctionDecl &Function) const;

  /// False when the code runs only on the CPU: the unit (and, with a
  /// summary, the project) names no device but the CPU, or the options say
  /// so. In a project run, a unit that names only the CPU may still be
  /// called with device tensors; the deferred context says so.
  bool mayUseAccelerator() const;

  /// Whether this unit is all the model knows: neither a project run nor a
  /// summary. What a function the unit only declares does is then unknown.
  bool knowsOnlyTheUnit() const;

  /// What this unit's own code says about devices.
  DeviceEvidence deviceEvidence() const;

  /// In a project run, for a finding whose check decides its hot path in the
  /// unit (Deferral::Forbid): the condition left to the project, when the
  /// unit names no device but the CPU.
  std::optional<DeferredHotPath> projectCondition() const;

  /// The unit's own functions, with whether each loop and function reads a
  /// clock, for a project summary.
  ProjectGraph exportGraph() const;

  /// How many calls deep the model follows from a loop.
  static constexpr unsigned MaxCallDepth = HotAnalysis::MaxCallDepth;

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

/// The project graph of the summary at \p Path, read once per process.
/// Errors name the file.
llvm::Expected<std::shared_ptr<const ProjectGraph>>
loadSummaryGraph(llvm::StringRef Path);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_HOTPATH_H
