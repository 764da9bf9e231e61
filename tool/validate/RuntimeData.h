//===--- RuntimeData.h - what the runtime library recorded ------*- C++ -*-===//
//
// The reader of the data file that runtime/ writes inside the observed
// program (format "trainlint-runtime", version 1; docs/validator.md). Only
// the reader lives here: the writer runs in the user's process and cannot
// use LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_VALIDATE_RUNTIMEDATA_H
#define TRAINLINT_TOOL_VALIDATE_RUNTIMEDATA_H

#include "DataFormat.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace trainlint {
namespace validate {

/// What some calls of one site added up to.
struct Tally {
  uint64_t Count = 0;
  uint64_t Ns = 0;
  uint64_t GapNs = 0;
  uint64_t Bytes = 0;
  uint64_t MinBytes = 0;
  uint64_t MaxBytes = 0;
  uint64_t Nodes = 0;
  uint64_t NodesBackwarded = 0;

  void add(const Tally &O);
};

/// One point of a `cat` site's per-step series.
struct SeriesPoint {
  int64_t Step = 0;
  uint64_t Count = 0;
  uint64_t Bytes = 0;
  uint64_t MaxBytes = 0;
};

/// The loss of one backward pass (NaN and infinities included).
struct LossValue {
  int64_t Step = 0;
  /// The stack of the `backward()` call.
  unsigned Stack = 0;
  double Value = 0;
};

/// What the runtime saw of evaluation (runtime/Observer.cpp, "Evaluation").
struct EvaluationSeen {
  /// Evaluation batches and phases in the whole run.
  uint64_t Batches = 0;
  uint64_t Phases = 0;
  /// The program ran on after the measured steps, waiting for evaluation.
  bool Waited = false;
  /// Why it was stopped after its measured steps: "steps", "evaluation-seen",
  /// "evaluation-ended", "batch-limit", "wait-limit"; empty when it was not.
  std::string StoppedBy;
};

/// The flag's bit (runtime/DataFormat.h) for the name the data file uses, or
/// 0.
uint32_t flagFromName(llvm::StringRef Name);
/// The names of the bits in \p Flags, joined with ", ".
std::string flagNames(uint32_t Flags);

/// A call site: a stack, an operator, what the calls did, and their tallies
/// before the measured steps (setup), in them, and in an incomplete last step.
struct Site {
  unsigned Stack = 0;
  unsigned Op = 0;
  unsigned Thread = 0;
  uint32_t Flags = 0;
  std::string Src, Dst;
  uint64_t StepsSeen = 0;
  Tally Setup, Measured, Tail;
  std::vector<SeriesPoint> Series;

  bool has(uint32_t Flag) const { return (Flags & Flag) != 0; }
  /// Every call, measured or not.
  Tally all() const;
};

struct StepRecord {
  uint64_t Index = 0;
  bool Complete = false;
  uint64_t StartNs = 0, EndNs = 0;
  uint64_t OpNs = 0, SyncNs = 0, BackwardNs = 0, OtherThreadsOpNs = 0;
  uint64_t Ops = 0;
  uint64_t GradsNotCleared = 0;
  unsigned Thread = 0;

  uint64_t wallNs() const { return EndNs > StartNs ? EndNs - StartNs : 0; }
};

/// Samples of the training thread's stack (runtime/Sampler.cpp): how many
/// times the timer found it at one stack in one step.
struct SampleCount {
  /// An index into RuntimeData::Stacks (the sampled stacks follow the
  /// operators' stacks there).
  unsigned Stack = 0;
  int64_t Step = 0;
  uint64_t Count = 0;
  /// Of Count, the samples taken while the thread was inside an operator.
  uint64_t InOperator = 0;
};

/// What the sampler of the training thread saw.
struct Sampling {
  /// Wall time between two samples; 0 when nothing was sampled.
  uint64_t PeriodNs = 0;
  uint64_t Samples = 0;
  /// Samples whose stack or count found no room in the runtime's tables.
  uint64_t Dropped = 0;
  std::vector<SampleCount> Counts;
};

struct Module {
  std::string Path;
  uint64_t Bias = 0;
  std::vector<std::pair<uint64_t, uint64_t>> Ranges;
};

/// One process's data file.
struct RuntimeData {
  std::string FilePath;
  int Pid = 0, ParentPid = 0, RootPid = 0;
  bool ForkedChild = false;
  std::string TorchBuilt, TorchLoaded;
  bool CudaBuild = false, CudaAvailable = false, RuntimeCuda = false;
  uint64_t StopAfterSteps = 0;
  std::string StepOn;
  /// The evaluation batches the run was allowed after its measured steps.
  uint64_t EvalBatches = 0;
  /// "exit", "steps-reached", "signal" or "refused".
  std::string EndReason;
  int Signal = 0;
  std::string SignalName;
  std::string Message;
  uint64_t StartNs = 0, EndNs = 0;
  bool TablesComplete = false;

  uint64_t BackwardPasses = 0, OptimizerSteps = 0, TopLevelOps = 0;
  uint64_t Unwinds = 0, StackCacheHits = 0, CallbackErrors = 0;

  std::vector<StepRecord> Steps;
  std::vector<Module> Modules;
  std::vector<std::string> Ops;
  std::vector<std::vector<uint64_t>> Stacks;
  std::vector<Site> Sites;
  std::vector<LossValue> Losses;
  EvaluationSeen Evaluation;
  Sampling Samples;
  /// CUDA runs: device time per step from events at step boundaries.
  std::vector<std::pair<int64_t, uint64_t>> DeviceStepNs;

  /// The complete steps after the first step boundary, up to the requested
  /// number: the measured ones.
  std::vector<const StepRecord *> measuredSteps() const;
  llvm::StringRef opName(unsigned Op) const {
    return Op < Ops.size() ? llvm::StringRef(Ops[Op]) : llvm::StringRef("?");
  }
};

/// Parses a data file's text. \p Name names it in errors.
llvm::Expected<RuntimeData> parseRuntimeData(llvm::StringRef Text,
                                             llvm::StringRef Name);

} // namespace validate
} // namespace trainlint

#endif // TRAINLINT_TOOL_VALIDATE_RUNTIMEDATA_H
