//===--- Recorder.h - the tables the runtime fills --------------*- C++ -*-===//
//
// One Recorder per process, guarded by one mutex. Callbacks touch it once
// per top-level operator call (to add the call to its site's record) and
// otherwise only when they meet something new: an operator name, a call
// stack, a step boundary.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_RUNTIME_RECORDER_H
#define TRAINLINT_RUNTIME_RECORDER_H

#include "Runtime.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace trainlint {
namespace runtime {

/// A call site: which stack, which operator, what happened.
struct SiteKey {
  uint32_t Stack = 0;
  uint32_t Flags = 0;
  uint16_t Op = 0;
  uint16_t Thread = 0;
  int8_t Src = -1;
  int8_t Dst = -1;

  bool operator==(const SiteKey &O) const {
    return Stack == O.Stack && Flags == O.Flags && Op == O.Op &&
           Thread == O.Thread && Src == O.Src && Dst == O.Dst;
  }
};

struct SiteKeyHash {
  size_t operator()(const SiteKey &K) const {
    uint64_t H = (uint64_t(K.Stack) << 32 | K.Flags) * 0x9E3779B97F4A7C15ull;
    H ^= (uint64_t(K.Op) << 32 | uint64_t(K.Thread) << 16 |
          uint64_t(uint8_t(K.Src)) << 8 | uint8_t(K.Dst)) *
         0xC2B2AE3D27D4EB4Full;
    return static_cast<size_t>(H ^ (H >> 29));
  }
};

/// What some calls of one site added up to.
struct Tally {
  uint64_t Count = 0;
  /// Time inside the calls.
  uint64_t Ns = 0;
  /// Host time on the same thread between the previous call's end and each
  /// call's start.
  uint64_t GapNs = 0;
  /// Bytes moved, copied or produced (see docs/validator.md per kind).
  uint64_t Bytes = 0;
  uint64_t MaxBytes = 0;
  uint64_t MinBytes = ~0ull;
  /// Autograd nodes the calls created, and how many of them a backward pass
  /// later ran.
  uint64_t Nodes = 0;
  uint64_t NodesBackwarded = 0;

  void add(const Tally &O);
  void addBytes(uint64_t B);
};

/// One point of a site's per-step series (kept for `cat` sites, whose
/// output sizes tell a growing tensor).
struct StepPoint {
  int32_t Step;
  uint64_t Count;
  uint64_t Bytes;
  uint64_t MaxBytes;
};

/// A site's calls, split by when they ran: before the first step boundary
/// (setup and the first step, which is not measured), in the measured
/// steps, and in the last step when the program ended before it was
/// complete. Calls of the step in progress collect in Open and move to
/// their part when a later step first touches the site (or at the end), so
/// the table does not grow with the number of steps.
struct SiteStats {
  Tally Setup, Measured, Tail, Open;
  int32_t OpenStep = -1;
  /// Measured steps in which the site ran at least once.
  uint32_t StepsSeen = 0;
  std::vector<StepPoint> Series;
};

/// One step: from one step boundary to the next. Step 0 is everything before
/// the first boundary (setup and the first step), which is not measured.
struct StepRecord {
  uint64_t StartNs = 0;
  uint64_t EndNs = 0;
  /// Time inside top-level operators on the step's thread.
  uint64_t OpNs = 0;
  /// The part of OpNs in calls that wait for a device.
  uint64_t SyncNs = 0;
  /// Time inside backward passes (on any thread).
  uint64_t BackwardNs = 0;
  /// Time inside top-level operators on other threads.
  uint64_t OtherThreadOpNs = 0;
  uint64_t Ops = 0;
  uint64_t GradsNotCleared = 0;
  uint16_t Thread = 0;
};

/// Autograd nodes created by one call: sequence numbers [Begin, Begin+Count)
/// of forward thread Tid. Resolved against the executed bitmaps at the end.
struct NodeRange {
  SiteStats *Site;
  int32_t Step;
  uint64_t Begin;
  uint32_t Count;
  uint32_t Tid;
};

/// The loss of one backward pass: the scalar `backward()` was called on.
struct LossPoint {
  int32_t Step;
  /// The stack of the `backward()` call.
  uint32_t Stack;
  double Value;
  /// The slot of the pinned host buffer a device loss is being copied into
  /// (read when the data file is written); -1 once Value holds it.
  int32_t Pending;
};

/// What the runtime saw of evaluation: forward passes that no backward pass
/// followed (Observer.cpp, "Evaluation").
struct EvaluationState {
  /// The first forward call (stack and operator) since the last backward
  /// pass, and how often it ran since: two or more is evaluation batches.
  uint64_t FirstKey = 0;
  uint64_t Repeats = 0;
  /// Evaluation batches and phases seen in the whole run.
  uint64_t Batches = 0;
  uint64_t Phases = 0;
  /// The measured steps are done and the program runs on towards, or
  /// through, an evaluation phase since DrainStartNs.
  bool Draining = false;
  uint64_t DrainStartNs = 0;
  /// Why the program was stopped after its measured steps.
  const char *StoppedBy = "";
};

/// An open-addressing map from non-zero addresses to 32-bit values, so that
/// clearing and refilling it every step allocates nothing.
class AddressMap {
public:
  void clear();
  uint32_t *find(uintptr_t Key);
  void set(uintptr_t Key, uint32_t Value);
  size_t size() const { return Size; }

private:
  void grow();
  std::vector<uintptr_t> Keys;
  std::vector<uint32_t> Values;
  size_t Size = 0;
};

struct Recorder {
  std::mutex Lock;

  // Operator names, interned by content; ids are stable.
  static constexpr unsigned MaxOps = 65535;
  const char *OpNames[MaxOps] = {};
  unsigned NumOps = 0;
  std::unordered_map<std::string, uint16_t> OpIds;

  // Call stacks: the frames of stack I are Frames[StackBegin[I], +StackLen[I]).
  std::vector<uintptr_t> Frames;
  std::vector<uint32_t> StackBegin;
  std::vector<uint8_t> StackLen;
  std::unordered_multimap<uint64_t, uint32_t> StackIndex;

  std::unordered_map<SiteKey, SiteStats, SiteKeyHash> Sites;
  std::vector<StepRecord> Steps;

  // Gradient clearing: storages zeroed since the last step boundary, and the
  // step in which backward last wrote each gradient storage.
  AddressMap Zeroed;
  AddressMap LastWritten;

  // Autograd nodes: who created them, and which ones backward ran.
  std::vector<NodeRange> Ranges;
  std::vector<std::vector<uint64_t>> Executed;
  bool RangesOverflow = false;

  // Each backward pass's loss, in order; bounded.
  static constexpr size_t MaxLosses = 100000;
  std::vector<LossPoint> Losses;
  EvaluationState Evaluation;

  // CUDA sync-debug reports that came with no operator around them.
  uint64_t LooseSyncReports = 0;

  // Counters for the data file's "counts".
  uint64_t BackwardPasses = 0;
  uint64_t OptimizerSteps = 0;
  uint64_t TopLevelOps = 0;
  uint64_t Unwinds = 0;
  uint64_t StackCacheHits = 0;
  uint64_t CallbackErrors = 0;
  uint64_t TooDeep = 0;
  uint64_t Threads = 0;
};

Recorder &recorder();

/// Set while the current thread holds Recorder::Lock, so that a signal
/// handler on this thread does not wait for itself.
extern thread_local bool HoldsLock;

/// Takes Recorder::Lock and marks the thread as holding it.
class RecorderLock {
public:
  RecorderLock() : L(recorder().Lock) { HoldsLock = true; }
  ~RecorderLock() { HoldsLock = false; }

private:
  std::lock_guard<std::mutex> L;
};

/// The step calls are being recorded into.
int32_t currentStep();

/// The part of Site that a call of Step adds to (closing the open step's
/// part first when Step is a later one); the caller holds the lock.
Tally &tallyLocked(SiteStats &Site, uint32_t Flags, int32_t Step);

/// Moves every site's open part where it belongs; the step in progress,
/// when it is not complete, becomes the tail. The caller holds the lock.
/// From a signal handler (!MayAllocate) a `cat` site's series only grows
/// into capacity it already has.
void closeSitesLocked(bool LastStepComplete, bool MayAllocate);

/// Resolves which created autograd nodes a backward pass ran; the caller
/// holds the lock.
void resolveNodesLocked();

/// Reads the losses copied from a device into pinned memory, waiting for
/// the copies when \p MayWait (never from a signal handler, where they stay
/// unread); the caller holds the lock.
void resolveLossesLocked(bool MayWait);

/// Empties the tables in a forked child (called with the lock held).
void resetAfterFork();

/// Records a synchronization reported by CUDA's sync-debug mode.
void noteSyncReport();

/// The CUDA runtime's allocator calls that runtime/CudaApi.cpp interposes,
/// by index: cudaMalloc, cudaFree, cudaMallocHost, cudaFreeHost,
/// cudaHostAlloc.
constexpr unsigned NumCudaAllocCalls = 5;
const char *cudaAllocCallName(unsigned Call);
/// Records call \p Call of the CUDA runtime's allocator, asking for \p Bytes
/// (0 for frees), when the program's code made it outside any operator.
void noteCudaAllocCall(unsigned Call, uint64_t Bytes);

/// Interns a stack; the caller holds the lock.
uint32_t internStackLocked(const uintptr_t *Frames, unsigned N);

/// Interns an operator name (takes the lock on a miss).
uint16_t internOp(ThreadData &T, const char *Name);

/// A cached stack signature: the values of the stack slots that hold the
/// kept frames' return addresses, relative to captureStack's frame.
struct SigEntry {
  uintptr_t Key;
  uintptr_t Depth;
  int32_t Next;
  uint32_t Stack;
  uint8_t N;
  int32_t Offset[MaxFrames];
  uintptr_t Value[MaxFrames];
};

struct OpFrame {
  const at::RecordFunction *Fn;
  uint64_t StartNs;
  uint64_t GapNs;
  uint64_t Bytes;
  int64_t SeqBegin;
  int32_t Step;
  uint32_t Flags;
  uint32_t Stack;
  uint16_t Op;
  int8_t Src;
  int8_t Dst;
  bool Top;
  bool Engine;
  bool AccumulateGrad;
  /// The first engine record of a backward pass: it counts the pass.
  bool FirstOfPass;
};

struct ThreadData {
  uint16_t Index = 0;
  bool InCallback = false;
  bool CudaReady = false;
  unsigned Depth = 0;
  uint64_t LastEndNs = 0;
  uintptr_t StackLo = 0;
  uintptr_t StackHi = 0;
  OpFrame Frames[MaxDepth];

  // Operator names by pointer; verified by content on a hit since names
  // built from strings may move.
  struct NameSlot {
    const char *Ptr;
    uint16_t Id;
  };
  NameSlot NameCache[1024] = {};

  // Stack signatures, chained per bucket.
  static constexpr unsigned SigBuckets = 1024;
  static constexpr unsigned MaxSigEntries = 8192;
  int32_t SigHead[SigBuckets];
  std::vector<SigEntry> Sigs;
};

} // namespace runtime
} // namespace trainlint

#endif // TRAINLINT_RUNTIME_RECORDER_H
