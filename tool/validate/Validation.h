//===--- Validation.h - findings against measurements -----------*- C++ -*-===//
//
// The judgement of `trainlint validate`: for every finding, whether the
// smoke run showed its cost at its line (confirmed), ran the line without
// it (not-observed), never ran the line (not-exercised), or has no way to
// tell (not-checkable); signals that no finding asked about; and where the
// step time went. It works on symbolized stacks through StackSource, so that
// tests can hand it frames without running a program.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_VALIDATE_VALIDATION_H
#define TRAINLINT_TOOL_VALIDATE_VALIDATION_H

#include "Finding.h"
#include "validate/RuntimeData.h"
#include "validate/StackSymbolizer.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trainlint {
namespace validate {

enum class Status { Confirmed, NotObserved, NotExercised, NotCheckable };
llvm::StringRef statusName(Status S);

/// What the runtime can observe for a check.
enum class SignalKind {
  None,
  /// `_local_scalar_dense`: item(), bool conversion, printing.
  Item,
  /// Copies to the host; on a CPU run, move requests to the CPU.
  DeviceToHost,
  /// Blocking copies to a device; on a CPU run, move requests of host tensors.
  HostToDevice,
  /// Data-dependent output shapes (nonzero, masked_select, unique).
  ShapeSync,
  /// Synchronizations reported by CUDA's sync-debug mode.
  ExplicitSync,
  /// A `cat` whose output grows from step to step.
  GrowingCat,
  /// Autograd graphs built and never backpropagated.
  GradWithoutBackward,
  /// Gradients accumulated across optimizer steps.
  GradNotCleared,
  /// How many operators the line runs per step.
  OpCount,
  /// Tensors created from no tensor (factories: zeros, ones, empty, randn,
  /// full, ...) at the line, per step, and their bytes.
  Allocation,
  /// Calls of the CUDA runtime's allocator (cudaMalloc, cudaFree,
  /// cudaMallocHost, cudaFreeHost, cudaHostAlloc) at the line, per step.
  CudaAlloc,
  /// Dropout or batch norm in the wrong mode: in training mode during
  /// evaluation (grad mode off, or a graph no backward pass used), or in
  /// evaluation mode in a graph that a backward pass used.
  ModeMismatch,
  /// The loss became NaN or infinite, or grew more than tenfold over the
  /// run (lossDivergence); a signal of the run, asked for by no finding.
  LossDiverged,
  /// Wall time the training thread spent fetching batches (a loader's
  /// next(), a dataset's get()), from samples of its stack.
  DataLoading,
};
llvm::StringRef signalKindName(SignalKind K);

/// The signal that confirms \p Check, and whether a CPU run can see it.
struct CheckSignal {
  SignalKind Kind = SignalKind::None;
  /// Only a GPU run shows the signal at all (a CPU run cannot check it).
  bool OnlyOnGpu = false;
  /// On a CPU run the operation is seen but its device cost is not.
  bool CostOnDevice = false;
  /// Why there is no signal, when Kind is None; for OnlyOnGpu, what the
  /// signal is that a GPU run would show.
  llvm::StringRef Why;
  /// The calls per measured step (over the run, without steps) at the line
  /// that the signal must reach to confirm: a per-element loop is many tiny
  /// calls, not one. 0 asks for any.
  double MinPerStep = 0;
  /// The finding points at a loop's header or a function's name (a finding
  /// of absence): the signal is looked for in the whole loop or function,
  /// lines [line, the end of its body], not at the line alone.
  bool SpansStatement = false;
  /// Evaluation runs between epochs or after training, outside the measured
  /// steps: the signal counts over the whole run, per evaluation batch.
  bool PerEvaluationBatch = false;
};

/// The operator calls per step at a line that confirm a per-element or
/// per-sample loop (torch-loop-per-element, torch-loop-per-sample-forward):
/// an element access is a `select` and a read or a write, so 16 calls is
/// about eight elements a step, more than any vectorized line runs.
inline constexpr double LoopOpCallsPerStep = 16;
/// The share of the step that the training thread may spend fetching
/// batches before a data-loading finding is confirmed (PyTorch's TensorBoard
/// plugin flags a data loader above 5% of the step too).
inline constexpr double DataLoadingShareThreshold = 0.05;
CheckSignal signalForCheck(llvm::StringRef Check);

struct PerStep {
  double Count = 0;
  double Ns = 0;
  double Bytes = 0;
};

/// A finding's signal per evaluation batch, over the whole run.
struct PerBatch {
  /// Evaluation batches: how many times the loop's body ran, taken as the
  /// call count most of the signal's sites share (each runs once a batch).
  uint64_t Batches = 0;
  /// Autograd nodes never backpropagated (eval-without-no-grad) or
  /// operator calls (train-eval-mode) per batch, and their time.
  double Count = 0;
  double Ns = 0;
};

/// One operator seen at a finding's line: the evidence behind its status.
struct Evidence {
  std::string Op;
  uint32_t Flags = 0;
  std::string Src, Dst;
  Tally Measured;
  Tally Outside;
  bool Signal = false;
};

struct FindingResult {
  Finding Source;
  Status Result = Status::NotCheckable;
  SignalKind Kind = SignalKind::None;
  std::string Reason;
  /// The line had no line table; frames were matched by the function that
  /// contains it.
  bool MatchedByFunction = false;
  std::string Function;
  /// The last line of the loop or function the finding points at, when the
  /// signal was looked for in all of it (CheckSignal::SpansStatement).
  unsigned StatementEnd = 0;
  /// For CheckSignal::PerEvaluationBatch, when confirmed.
  PerBatch Batch;
  /// Of the signal's calls, in the measured steps, per step.
  PerStep Per;
  /// Of the signal's calls over the whole run.
  Tally Total;
  /// Of the signal's calls before the first or after the last measured step.
  Tally Outside;
  uint64_t StepsSeen = 0;
  /// Time per step over the mean step time.
  double Share = 0;
  /// A CPU run saw the operation but not what it costs on a device.
  bool NeedsGpu = false;
  std::vector<Evidence> Seen;
  /// Per measured step, for signals that change from step to step: the
  /// growing `cat`'s output, the allocations at the line.
  std::vector<SeriesPoint> Series;
};

/// A signal found in the run, whether or not a finding asked for it.
struct SignalResult {
  SignalKind Kind = SignalKind::None;
  /// The innermost frame of the user's code, and the user's frames from it
  /// outwards (at most four): a model's forward called from two loops is
  /// two signals.
  SourceFrame Where;
  std::vector<SourceFrame> Chain;
  std::string Op;
  PerStep Per;
  Tally Total;
  /// Per-kind details: the growing sizes, nodes never backwarded, ...
  std::string Detail;
  std::vector<SeriesPoint> Series;
};

/// A source line and what ran there per step.
struct LineCost {
  SourceFrame Where;
  PerStep Ops;
  double GapNs = 0;
};

struct Summary {
  uint64_t StepsMeasured = 0;
  uint64_t BackwardPasses = 0;
  uint64_t OptimizerSteps = 0;
  double StepsPerSecond = 0;
  double MeanStepNs = 0;
  double MedianStepNs = 0;
  /// Per step: inside operators, minus syncs; waiting in syncs; host time
  /// between operators on the training thread.
  double ComputeNs = 0;
  double SyncNs = 0;
  double HostGapNs = 0;
  double BackwardNs = 0;
  double OtherThreadsOpNs = 0;
  /// The measured steps, in order.
  std::vector<const StepRecord *> Steps;
  /// Samples of the training thread's stack in the measured steps, and how
  /// many of them were inside data loading.
  uint64_t Samples = 0;
  uint64_t DataLoadingSamples = 0;
  /// Per step, estimated from the samples (each step's wall time times the
  /// share of its samples inside data loading): the time spent fetching
  /// batches, and the part of it inside operators (the collation's `stack`,
  /// a dataset's conversions). Means over the measured steps, and one value
  /// per entry of Steps.
  double DataLoadingNs = 0;
  double DataLoadingOpNs = 0;
  std::vector<double> StepDataLoadingNs;
  std::vector<double> StepDataLoadingOpNs;
};

/// The loss of every backward pass in the run, and whether it diverged.
struct LossCurve {
  std::vector<LossValue> Points;
  /// Why the loss diverged (lossDivergence); empty when it did not.
  std::string Divergence;
};

/// Why \p Losses diverged, or std::nullopt: a NaN or an infinite loss, or a
/// loss that grew more than tenfold: the median of the last three (at most
/// half the points) over the median of the first three, in magnitude.
std::optional<std::string> lossDivergence(const std::vector<LossValue> &Losses);

/// A loss for a sentence: four decimals for everyday values, scientific
/// notation otherwise, "NaN", "inf" or "-inf".
std::string lossText(double Value);

struct Validation {
  LossCurve Loss;
  std::vector<FindingResult> Findings;
  std::vector<SignalResult> Signals;
  std::vector<LineCost> Lines;
  Summary Totals;
  /// A GPU took part: device costs are measured, not inferred.
  bool Gpu = false;
  /// What a CPU-only run cannot confirm, for the report.
  std::vector<std::string> NeedsGpu;
  std::vector<std::string> Warnings;
};

/// Symbolized frames of a data file's stack.
using StackSource = llvm::function_ref<const SourceStack &(unsigned Stack)>;

/// The name of the function whose body holds \p Line of \p File, for
/// matching without line tables; std::nullopt when unknown.
using FunctionLookup = std::function<std::optional<std::string>(
    llvm::StringRef File, unsigned Line)>;

/// The last line of the statement that begins on \p Line of \p File (a
/// loop's body, a function's), for findings that point at a loop's header
/// or a function's name; std::nullopt when unknown.
using StatementEndLookup =
    std::function<std::optional<unsigned>(llvm::StringRef File, unsigned Line)>;

/// Judges \p Findings against \p Data.
Validation validateFindings(const RuntimeData &Data, StackSource Stacks,
                            const std::vector<Finding> &Findings,
                            const FunctionLookup &EnclosingFunction,
                            const StatementEndLookup &StatementEnd = nullptr);

/// Whether a frame's file is a library's (system headers, libtorch's
/// headers, the C++ library) rather than the user's.
bool isLibraryFile(llvm::StringRef File);

/// Whether a frame's file and a finding's file name the same file: equal
/// after normalization, or equal in their last two path components.
bool sameFile(llvm::StringRef FrameFile, llvm::StringRef FindingFile);

/// Whether a frame is inside libtorch's data loading: the loader's
/// iterator and next(), the datasets' get_batch() that calls a user's get(),
/// the collation. These are templates instantiated in the user's program, so
/// their frames are known by name (or by their header's path, for inlined
/// frames named briefly).
bool isDataLoadingFrame(const SourceFrame &F);

/// "ns::Class::method(int) const" -> "method"; "void f<int>(int)" -> "f".
std::string baseFunctionName(llvm::StringRef Demangled);

/// The function whose body contains \p Line of \p Source (1-based), by a
/// brace-matching scan that skips comments, strings and preprocessor lines.
std::optional<std::string> enclosingFunctionName(llvm::StringRef Source,
                                                 unsigned Line);

/// The last line (1-based) of the statement that begins on \p Line of
/// \p Source: the line of the brace that closes the first block opened
/// after the line's parentheses (a loop's or a function's body), or of the
/// `;` that ends a body without braces. Comments, strings and preprocessor
/// lines are skipped; std::nullopt when the line has no such statement.
std::optional<unsigned> statementEndLine(llvm::StringRef Source,
                                         unsigned Line);

} // namespace validate
} // namespace trainlint

#endif // TRAINLINT_TOOL_VALIDATE_VALIDATION_H
