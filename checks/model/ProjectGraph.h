//===--- ProjectGraph.h - the hot-path model as plain data ------*- C++ -*-===//
//
// What the hot-path model knows of the user's functions, as plain data that
// does not need the AST: their loops, the calls they make (and from which
// loop, under which conditions), and what they do for a loop around them
// (backward, an optimizer step, a forward pass, device work). One translation
// unit yields a graph of its own functions; the graphs of a project's units
// merge into the project's graph by USR, so that a loop in `main.cpp` sees
// that `train_step()` in `step.cpp` trains.
//
// HotAnalysis decides on such a graph, whichever it is, which loops are step
// loops and which functions they make hot. The per-unit model (HotPath.h)
// and the project-wide pass of `trainlint check` share it, so that the two
// decide alike.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_PROJECTGRAPH_H
#define TRAINLINT_CHECKS_MODEL_PROJECTGRAPH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  /// A loop in another translation unit that `trainlint check` decides on
  /// once it has seen the whole project; see HotContext::Deferred.
  Undecided,
};

/// "training loop", "evaluation loop" or "CUDA step loop", for messages; for
/// LoopKind::Undecided, UndecidedLoopText.
llvm::StringRef loopKindName(LoopKind Kind);

/// What an undecided loop is called in a message until `trainlint check`
/// replaces it with the loop's kind.
inline constexpr llvm::StringLiteral UndecidedLoopText = "{hot loop}";

/// The note on each call between a step loop and a finding, and the note on
/// the loop itself: the plugin and `trainlint check` word them alike.
std::string callNoteText(llvm::StringRef CalleeName, LoopKind Kind);
std::string loopNoteText(LoopKind Kind);

/// What a call or a statement does for the loop around it, as bits.
enum Signal : unsigned {
  NoSignal = 0,
  /// Tensor::backward, torch::autograd::backward/grad.
  BackwardSignal = 1,
  /// An optimizer's step().
  StepSignal = 2,
  /// A module's forward, or calling a module.
  ForwardSignal = 4,
  /// Device work: a kernel launch, a graph, a cuBLAS call.
  LaunchSignal = 8,
  // What a training loop does besides training, for the checks that report
  // what one lacks (TrainingFeatures.h says how each is recognised).
  /// Gradients cleared: an optimizer's or a module's zero_grad(), a
  /// parameter's grad().zero_() or mutable_grad().reset().
  ZeroGradSignal = 16,
  /// Gradients clipped: clip_grad_norm_, clip_grad_value_.
  ClipGradSignal = 32,
  /// The learning rate changes: a scheduler's step(), or a param group's
  /// options given a new learning rate.
  LearningRateSignal = 64,
  /// Automatic mixed precision turned on (autocast).
  AutocastSignal = 128,
  /// Gradient recording turned off in a scope: NoGradGuard, InferenceMode,
  /// AutoGradMode(false).
  NoGradSignal = 256,
  /// A module put in evaluation mode: eval(), train(false).
  EvalModeSignal = 512,
  /// A module put in training mode: train(), train(true).
  TrainModeSignal = 1024,
  /// A tensor or a module in half or bfloat16 precision.
  ReducedPrecisionSignal = 2048,
  /// The cuDNN autotuner turned on (setBenchmarkCuDNN(true)).
  CudnnBenchmarkSignal = 4096,
  /// A convolution module (Conv1d/2d/3d, ConvTranspose1d/2d/3d) built or
  /// called: the program trains a convolutional network.
  ConvolutionSignal = 8192,
  /// A call into the user's code that no graph at hand defines, or deeper
  /// than the analysis follows: it may do anything. Only queries of what a
  /// loop or a function does report it (HotAnalysis::loopSignals).
  OpaqueCallSignal = 1u << 31,
};
inline constexpr unsigned TrainingSignals = BackwardSignal | StepSignal;

/// A place in a source file: notes about a loop or a call in another file
/// point there.
struct SourcePoint {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// Where a statement sits inside its function.
struct GraphPosition {
  /// The innermost loop around it (an index into GraphFunction::Loops), or
  /// -1 outside every loop.
  int Loop = -1;
  /// GatedUpTo[K]: a rare condition on a counter of the loops around the
  /// statement (`if (step % 100 == 0)`) lies between it and its K-th
  /// enclosing loop, innermost first.
  std::vector<bool> GatedUpTo;
  /// The function's parameters that a rare condition between the statement
  /// and the function body tests: they gate it when the function is called
  /// with a step counter for them.
  std::vector<unsigned> GateParams;

  bool gatedWithin(unsigned LoopLevel) const {
    return LoopLevel < GatedUpTo.size() && GatedUpTo[LoopLevel];
  }
};

/// How a call passes a step counter to one of its callee's parameters.
struct CounterArgument {
  unsigned Param = 0;
  /// The argument mentions a counter of the loops around the call.
  bool LoopCounter = false;
  /// The argument mentions these parameters of the caller.
  std::vector<unsigned> CallerParams;
};

/// The training or evaluation mode a module is left in at some point of a
/// function, as far as its own statements say (HotPathModel::modeBefore).
enum class ModuleMode {
  /// Nothing before the point sets a mode (the caller's then, or training
  /// mode, a new module's), or the last setting is `train(flag)`, whose
  /// mode only the run knows.
  Unknown,
  /// The last setting is eval() or train(false).
  Eval,
  /// The last setting is train() or train(true).
  Train,
};

struct GraphCall {
  /// The callee's USR.
  std::string Callee;
  /// The callee's name as diagnostics print it, for notes.
  std::string CalleeName;
  SourcePoint Where;
  GraphPosition At;
  std::vector<CounterArgument> Counters;
  /// The call passes device memory (a pointer from cudaMalloc) or a CUDA
  /// stream to a function this graph does not define: it is taken to launch
  /// device work.
  bool PassesDeviceWork = false;
  /// A guard that turns gradient recording off (NoGradSignal) is in scope
  /// at the call: what the callee computes builds no autograd graph.
  bool UnderNoGrad = false;
  /// The mode the caller last set before the call, counting the iterations
  /// of the loops around it: `for (...) { train(model); evaluate(model); }`
  /// calls train() after the previous iteration's eval().
  ModuleMode ModeBefore = ModuleMode::Unknown;
};

struct GraphLoop {
  /// The loop around it in the same function, or -1.
  int Parent = -1;
  SourcePoint Where;
  /// A range-for over a libtorch data loader.
  bool IteratesLoader = false;
  /// The loop reads a clock each iteration (Timing.h): its synchronizations
  /// are there on purpose.
  bool TimesItself = false;
};

struct GraphSignal {
  unsigned Bits = NoSignal;
  /// The innermost loop of the statement, or -1.
  int Loop = -1;
};

struct GraphFunction {
  /// The name as diagnostics print it.
  std::string Name;
  SourcePoint Where;
  std::vector<GraphLoop> Loops;
  std::vector<GraphCall> Calls;
  std::vector<GraphSignal> Signals;
  /// The body reads a clock (Timing.h).
  bool TimesItself = false;
};

/// What the code says about the devices its tensors live on.
enum class DeviceEvidence {
  /// No device is named anywhere.
  None,
  /// Only the CPU is named, as a constant.
  CpuOnly,
  /// An accelerator is named, or a device comes from elsewhere (a parameter,
  /// a member, a function's return, the command line) and may be one.
  MaybeAccelerator,
};

/// The stronger of two pieces of device evidence.
DeviceEvidence strongest(DeviceEvidence A, DeviceEvidence B);

/// How a graph names a definition: its USR and where it is. A function
/// defined in a header is one function in every unit that includes it; two
/// programs of one compile database may each define their own `main`, or
/// their own `train_step`, under the same USR, and stay two.
std::string functionKey(llvm::StringRef Usr, const SourcePoint &Where);

/// The functions of one translation unit, or of a whole project.
struct ProjectGraph {
  /// By functionKey(). Calls name their callee by USR: every definition
  /// of that USR may be the one called.
  std::map<std::string, GraphFunction> Functions;
  DeviceEvidence Devices = DeviceEvidence::None;

  /// Adds \p Other's functions (a header's function, the same in every
  /// unit, once) and device evidence.
  void merge(const ProjectGraph &Other);

  /// The keys of the definitions of the function \p Usr.
  std::vector<std::string> keysOf(llvm::StringRef Usr) const;

  /// Whether some definition of \p Usr reads a clock.
  bool timesItself(llvm::StringRef Usr) const;

  /// The signals of every statement of every function, wherever it is:
  /// what the program does somewhere (turns on the cuDNN autotuner, makes
  /// a half-precision model).
  unsigned programSignals() const;

  llvm::json::Value toJson() const;
  static llvm::Expected<ProjectGraph> fromJson(const llvm::json::Value &V);
};

llvm::json::Value toJson(const GraphPosition &P);
bool fromJson(const llvm::json::Value &V, GraphPosition &P,
              llvm::json::Path Path);

/// A finding's hot path as far as one translation unit knows it: its
/// position in its function, for `trainlint check` to decide with the
/// project's graph. It travels from the check to the tool in a note whose
/// message starts with DeferredNotePrefix.
struct DeferredHotPath {
  /// The key (functionKey()) of the function holding the statement.
  std::string Function;
  GraphPosition At;
  /// The finding holds only if the unit's project may use an accelerator
  /// (the unit itself names no device but the CPU).
  bool NeedsAccelerator = false;
  /// The finding holds only if neither the loop nor a function on the way
  /// times itself (Timing.h).
  bool NeedsUntimedLoop = false;
  /// For a finding about what a loop does or lacks (At.Loop of Function, or
  /// the whole function when At.Loop is -1), with everything it calls in
  /// the project: it holds only if the loop does every signal of MustDo,
  /// none of MustLack, and, when MustLack is set, calls nothing that the
  /// project does not define.
  unsigned MustDo = NoSignal;
  unsigned MustLack = NoSignal;
  /// The check has decided and worded the finding's hot path in its unit;
  /// only NeedsAccelerator is left to the project.
  bool Decided = false;
  /// The opposite of NeedsAccelerator: the finding holds only if the whole
  /// project names no accelerator and leaves no device to run time.
  bool NeedsCpuOnly = false;
  /// For a finding about what the whole program does or lacks, wherever it
  /// does it (ProjectGraph::programSignals()): it holds only if the project
  /// does every signal of ProgramMustDo and none of ProgramMustLack.
  unsigned ProgramMustDo = NoSignal;
  unsigned ProgramMustLack = NoSignal;
};

/// A deferred finding that holds only where both \p A and \p B hold: their
/// conditions joined, on the function and position of the one that names
/// a function (at most one may). Decided when both are.
DeferredHotPath bothHold(const DeferredHotPath &A, const DeferredHotPath &B);

inline constexpr llvm::StringLiteral DeferredNotePrefix =
    "trainlint-deferred-hot-path: ";

std::string encodeDeferredNote(const DeferredHotPath &D);
std::optional<DeferredHotPath> decodeDeferredNote(llvm::StringRef Message);

/// A step loop, a chain of calls from it, and whether a rare condition on
/// the way gates what it reaches.
struct HotReach {
  LoopKind Kind = LoopKind::Training;
  /// The step loop: its function's key and its index there.
  std::string LoopFunction;
  int Loop = -1;
  /// The calls from the loop to the function holding the statement, the
  /// first inside the loop: each the caller's key and the call's index.
  std::vector<std::pair<std::string, unsigned>> Chain;
  bool Gated = false;
};

/// Which loops of a graph are step loops and which functions they make hot.
class HotAnalysis {
public:
  /// How many calls deep the analysis follows from a loop.
  static constexpr unsigned MaxCallDepth = 3;

  explicit HotAnalysis(const ProjectGraph &Graph);
  ~HotAnalysis();
  HotAnalysis(const HotAnalysis &) = delete;
  HotAnalysis &operator=(const HotAnalysis &) = delete;

  /// The kind of \p Loop of \p Function when it is a step loop or nested in
  /// one; with the step loop's index.
  std::optional<std::pair<LoopKind, int>> stepLoopOf(llvm::StringRef Function,
                                                     int Loop) const;

  /// Whether \p Loop of \p Function is an epoch loop: neither a step loop
  /// nor nested in one, while its iterations train, in a training loop
  /// nested in it or in a function it calls.
  bool isEpochLoop(llvm::StringRef Function, int Loop) const;

  /// Why a statement at \p At in \p Function is hot: a step loop around it
  /// in its own function, or a chain of calls from a step loop; nothing when
  /// it is not hot.
  std::optional<HotReach> resolve(llvm::StringRef Function,
                                  const GraphPosition &At) const;

  /// What \p Loop of \p Function does on its iterations: its statements,
  /// its nested loops and everything its calls do, MaxCallDepth deep, with
  /// OpaqueCallSignal when a call may do anything.
  unsigned loopSignals(llvm::StringRef Function, int Loop) const;

  /// What \p Function does, with everything its calls do, as loopSignals.
  unsigned functionSignals(llvm::StringRef Function) const;

  /// What \p Function does outside its training loops: its statements and
  /// calls that no training step loop of its own holds, with everything
  /// those calls do. A function that evaluates in one loop and trains in
  /// another does nothing of training outside them.
  unsigned signalsOutsideTrainingLoops(llvm::StringRef Function) const;

  /// Whether a deferred finding's conditions on what code does hold on this
  /// graph: MustDo and MustLack on its loop or function, ProgramMustDo and
  /// ProgramMustLack on the whole program, and NeedsCpuOnly on the graph's
  /// devices. (NeedsAccelerator and the hot path are the tool's to decide.)
  bool holds(const DeferredHotPath &D) const;

  /// The calls of the graph to \p Usr: each the caller's key and the
  /// call's index.
  std::vector<std::pair<std::string, unsigned>>
  callsTo(llvm::StringRef Usr) const;

  const ProjectGraph &graph() const { return Graph; }

private:
  struct Impl;
  const ProjectGraph &Graph;
  std::unique_ptr<Impl> P;
};

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_PROJECTGRAPH_H
