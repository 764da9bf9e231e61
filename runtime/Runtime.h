//===--- Runtime.h - the validator's in-process recorder --------*- C++ -*-===//
//
// The runtime library is preloaded into the user's training program by
// `trainlint validate`. It watches ATen's RecordFunction events, records what
// each call site costs per training step and writes it all to one JSON file
// when the program stops. It runs inside someone else's process, so it keeps
// to a few rules: nothing escapes a callback, callbacks allocate only when
// they meet something new, every shared table sits behind one mutex, and the
// file is written whole (a temporary file renamed into place) by code that
// allocates nothing, so that a crash can still write it.
//
// docs/validator.md describes the file format and how steps are found.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_RUNTIME_RUNTIME_H
#define TRAINLINT_RUNTIME_RUNTIME_H

#include "DataFormat.h"
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace at {
struct RecordFunction;
} // namespace at

namespace trainlint {
namespace runtime {

/// Most frames of user code kept per call stack (libtorch's own frames are
/// skipped while unwinding and do not count).
constexpr unsigned MaxFrames = 24;
/// Deepest nesting of operator calls tracked per thread; deeper calls are
/// counted but not classified.
constexpr unsigned MaxDepth = 48;
/// Loaded modules remembered for symbolization.
constexpr unsigned MaxModules = 512;
/// Exit status of a process whose libtorch the runtime refused.
constexpr int RefusedExitStatus = 86;

/// Monotonic time in nanoseconds.
uint64_t nowNs();


/// The bits whose calls wait for a device: their time is sync time.
constexpr uint32_t SyncFlags =
    FlagItem | FlagCopyD2H | FlagCopyH2D | FlagShapeSync | FlagSyncDebug;


/// A device type as the runtime file spells it ("cpu", "cuda", ...); -1 is
/// "none".
const char *deviceName(int Type);

/// Per-thread state. It lives on the heap (one allocation per thread), and
/// the thread-local pointer to it is all the static TLS the library uses.
struct ThreadData;
ThreadData *threadData();
/// The current thread's data when it has some, allocating nothing (for
/// signal handlers).
ThreadData *threadDataIfAny();

/// The id of the current call stack's user frames in the stack table,
/// unwinding only when the stack has not been seen from this point before.
/// `Key` tells call paths apart cheaply (the operator's name pointer).
uint32_t captureStack(ThreadData &T, uintptr_t Key);

/// Fills the ranges of code whose frames are skipped while unwinding:
/// libtorch, c10 and this library.
void initSkipRanges();
/// Whether \p IP is in those ranges; safe in a signal handler.
bool isSkippedCode(uintptr_t IP);

/// The callbacks, the step state machine and the tables.
void registerObserver();
/// Stops recording: callbacks return at once from now on.
void stopObserving();
bool isObserving();

/// Why the data file is written.
enum class EndReason { Exit, StepsReached, Signal, Refused };

/// Writes the data file once: the first caller wins and later calls return
/// false. Safe in a signal handler: it allocates nothing, and it gives up on
/// the tables (writing what it can) when the lock cannot be taken.
bool writeData(EndReason Reason, int Signal, const char *Message);

/// Sets the stop-after-N-steps exit in motion from the thread that reached
/// the last step: writes the data and ends the process (see Runtime.cpp).
[[noreturn]] void finishAfterSteps();

/// Configuration read from the environment once at load.
struct Config {
  /// Where the data goes; empty when the runtime is inactive.
  char OutPath[4096];
  /// Measured steps after which the program is stopped; 0 never stops it.
  uint64_t StopAfterSteps = 0;
  /// Count a step at every backward pass instead of every optimizer step.
  bool StepOnBackward = false;
  /// After StopAfterSteps, keep the program running through its first
  /// evaluation phase, for at most this many evaluation batches; 0 stops it
  /// at once (see Observer.cpp, "Evaluation").
  uint64_t EvalBatches = 0;
  /// ... and for at most this long after the last measured step.
  uint64_t EvalWaitNs = 0;
  /// Wall time between two samples of the training thread's stack
  /// (Sampler.cpp); 0 takes none.
  uint64_t SamplePeriodNs = 0;
  /// The process is the one `trainlint validate` started (not a child).
  bool IsRoot = true;
  int RootPid = 0;
};
Config &config();

/// Load-time facts written into the data file.
struct ProcessInfo {
  char TorchBuilt[32];
  char TorchLoaded[32];
  bool CudaBuild = false;
  bool CudaAvailable = false;
  bool ForkedChild = false;
  uint64_t StartNs = 0;
};
ProcessInfo &processInfo();

/// Starts sampling the calling thread, the training thread, at its first
/// step boundary (once per process; nothing when Config::SamplePeriodNs is 0
/// or the program has a SIGPROF handler of its own).
void startSampling();
/// Stops the samples before the data file is written; safe in a signal
/// handler.
void stopSampling();
/// The samples' stacks and counts per step, as the data file's "sampling".
void writeSamples(struct JsonOut &Out);

/// Snapshot of the loaded modules (path, load bias, executable ranges), kept
/// in static storage so that a signal handler can write it.
void refreshModules(bool Force);
void writeModules(struct JsonOut &Out);

#ifdef TRAINLINT_RUNTIME_CUDA
/// CUDA: timing events at step boundaries and sync-debug reports.
void cudaInit();
void cudaOnThread();
void cudaOnStep(uint64_t Step);
void cudaWriteStepTimes(struct JsonOut &Out, uint64_t Steps);
/// Waits for the device, so that the losses copied asynchronously into
/// pinned memory can be read; only when the process is ending.
void cudaFinishCopies();
#endif

} // namespace runtime
} // namespace trainlint

#endif // TRAINLINT_RUNTIME_RUNTIME_H
