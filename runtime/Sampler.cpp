//===--- Sampler.cpp - where the training thread's time goes, by samples ===//
//
// Operators show what libtorch computes, not the host work between them: a
// dataset's `get` that opens and decodes a file runs no operator while it
// reads. So from the first step boundary on, a sampler thread wakes every
// Config::SamplePeriodNs of wall time and sends SIGPROF to the training thread
// alone (tgkill); the handler records the interrupted call stack and the step.
// Wall time: a thread blocked reading a file or waiting for a loader's worker
// is what is wanted. But sleep() and its kin (nanosleep, poll, select,
// epoll_wait, pause, sigtimedwait) return early when a signal arrives, even
// with SA_RESTART, which would change what the program does: the sampler
// reads the thread's current system call from /proc first and sends nothing
// while it is in one of those. Such a wait is then not sampled.
//
// The handler is async-signal-safe: it unwinds with libgcc's
// _Unwind_Backtrace, which finds unwind tables through glibc's
// _dl_find_object (lock-free and async-signal-safe since glibc 2.35 and
// GCC 12), and stores into fixed tables that only the sampled thread writes.
// Nothing is symbolized here: `trainlint validate` symbolizes the stacks and
// decides which ones are inside data loading.
//
//===----------------------------------------------------------------------===//

#include "JsonOut.h"
#include "Recorder.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

namespace trainlint {
namespace runtime {

namespace {

/// Most frames kept per sample: the loader's frames sit far below a
/// decoder's, between the dataset's `get` and the training loop.
constexpr unsigned MaxSampleFrames = 64;
constexpr unsigned MaxSampleStacks = 4096;
constexpr unsigned FramePoolSize = 1u << 17;
constexpr unsigned MaxCounts = 1u << 15;

struct SampleStack {
  uint64_t Hash;
  uint32_t Begin;
  uint32_t Len;
};

/// Samples of one stack in one step, and how many of them came while the
/// thread was inside an operator.
struct SampleCount {
  uint64_t Key; // (stack + 1) << 32 | step; 0 is empty.
  uint32_t Count;
  uint32_t InOperator;
};

SampleStack Stacks[MaxSampleStacks];
// Open addressing over Stacks by hash: index + 1, 0 empty.
uint32_t StackSlots[MaxSampleStacks * 2];
unsigned NumStacks = 0;
uintptr_t FramePool[FramePoolSize];
unsigned FramesUsed = 0;
SampleCount Counts[MaxCounts];
unsigned NumCounts = 0;

std::atomic<bool> Sampling{false};
bool Started = false;
pid_t SampledThread = 0;
int SyscallFd = -1;
uint64_t Samples = 0;
uint64_t Dropped = 0;
struct sigaction OldProf;

struct SampleUnwind {
  uintptr_t Interrupted;
  bool Found;
  unsigned N;
  uintptr_t IP[MaxSampleFrames];
};

_Unwind_Reason_Code collectSampleFrame(struct _Unwind_Context *Ctx,
                                       void *Arg) {
  SampleUnwind &U = *static_cast<SampleUnwind *>(Arg);
  uintptr_t IP = _Unwind_GetIP(Ctx);
  if (!IP)
    return _URC_END_OF_STACK;
  // The handler's own frames and the signal trampoline come first; the
  // interrupted code begins at the context's instruction pointer.
  if (!U.Found) {
    if (IP != U.Interrupted)
      return _URC_NO_REASON;
    U.Found = true;
    // Symbolizers look up a return address minus one: make the
    // interrupted instruction's address look like one.
    IP += 1;
  }
  // libtorch's own frames are left out, as in operators' stacks: they have
  // no line tables, and the loader's frames are templates in the program.
  if (isSkippedCode(IP))
    return _URC_NO_REASON;
  U.IP[U.N++] = IP;
  return U.N == MaxSampleFrames ? _URC_END_OF_STACK : _URC_NO_REASON;
}

/// The sample table's index of the stack \p IP[0, N), added when new; -1
/// when the tables are full.
int internSampleStack(const uintptr_t *IP, unsigned N) {
  uint64_t H = N;
  for (unsigned I = 0; I < N; ++I)
    H = (H ^ IP[I]) * 0x100000001b3ull;
  constexpr unsigned Mask = MaxSampleStacks * 2 - 1;
  for (unsigned Slot = static_cast<unsigned>(H >> 17) & Mask;;
       Slot = (Slot + 1) & Mask) {
    uint32_t Entry = StackSlots[Slot];
    if (!Entry) {
      if (NumStacks == MaxSampleStacks || FramesUsed + N > FramePoolSize)
        return -1;
      SampleStack &S = Stacks[NumStacks];
      S.Hash = H;
      S.Begin = FramesUsed;
      S.Len = N;
      std::memcpy(&FramePool[FramesUsed], IP, N * sizeof(uintptr_t));
      FramesUsed += N;
      StackSlots[Slot] = ++NumStacks;
      return static_cast<int>(NumStacks - 1);
    }
    const SampleStack &S = Stacks[Entry - 1];
    if (S.Hash == H && S.Len == N &&
        std::memcmp(&FramePool[S.Begin], IP, N * sizeof(uintptr_t)) == 0)
      return static_cast<int>(Entry - 1);
  }
}

void countSample(unsigned Stack, int32_t Step, bool InOperator,
                 uint32_t Weight) {
  uint64_t Key = (uint64_t(Stack) + 1) << 32 | static_cast<uint32_t>(Step);
  constexpr unsigned Mask = MaxCounts - 1;
  for (unsigned Slot =
           static_cast<unsigned>((Key * 0x9E3779B97F4A7C15ull) >> 40) & Mask,
                Probes = 0;
       Probes < MaxCounts; Slot = (Slot + 1) & Mask, ++Probes) {
    SampleCount &C = Counts[Slot];
    if (C.Key == Key || !C.Key) {
      if (!C.Key) {
        // Keep the table under three quarters full.
        if (NumCounts * 4 >= MaxCounts * 3)
          break;
        C.Key = Key;
        ++NumCounts;
      }
      C.Count += Weight;
      C.InOperator += InOperator ? Weight : 0;
      return;
    }
  }
  Dropped += Weight;
}

void onSample(int, siginfo_t *, void *Context) {
  if (!Sampling.load(std::memory_order_relaxed))
    return;
  int SavedErrno = errno;
  // Only the training thread is sampled; a SIGPROF that someone else sent to
  // another thread is not a sample.
  if (syscall(SYS_gettid) == SampledThread) {
    SampleUnwind U;
    U.Found = false;
    U.N = 0;
#if defined(__x86_64__)
    U.Interrupted = static_cast<uintptr_t>(
        static_cast<ucontext_t *>(Context)->uc_mcontext.gregs[REG_RIP]);
#else
    (void)Context;
    U.Interrupted = 0;
#endif
    if (U.Interrupted)
      _Unwind_Backtrace(collectSampleFrame, &U);
    uint32_t Weight = 1;
    Samples += Weight;
    int Stack = U.N ? internSampleStack(U.IP, U.N) : -1;
    if (Stack < 0) {
      Dropped += Weight;
    } else {
      ThreadData *T = threadDataIfAny();
      countSample(static_cast<unsigned>(Stack), currentStep(),
                  T && T->Depth > 0, Weight);
    }
  }
  errno = SavedErrno;
}

/// Whether the sampled thread is in a system call that a signal would end
/// early (a sleep or a wait with a timeout), from /proc: "running", or the
/// call's number first. Unknown counts as no.
bool inSignalSensitiveWait() {
  if (SyscallFd < 0)
    return false;
  char Text[32];
  ssize_t N = pread(SyscallFd, Text, sizeof(Text) - 1, 0);
  if (N <= 0 || Text[0] < '0' || Text[0] > '9')
    return false;
  Text[N] = 0;
  long Call = std::strtol(Text, nullptr, 10);
  switch (Call) {
#if defined(__x86_64__)
  case SYS_nanosleep:
  case SYS_clock_nanosleep:
  case SYS_select:
  case SYS_pselect6:
  case SYS_poll:
  case SYS_ppoll:
  case SYS_epoll_wait:
  case SYS_epoll_pwait:
  case SYS_pause:
  case SYS_rt_sigtimedwait:
  case SYS_rt_sigsuspend:
    return true;
#endif
  default:
    return false;
  }
}

void *samplerThread(void *) {
  // The sampler's own thread is never the one sampled.
  sigset_t Set;
  sigemptyset(&Set);
  sigaddset(&Set, SIGPROF);
  pthread_sigmask(SIG_BLOCK, &Set, nullptr);
  uint64_t Period = config().SamplePeriodNs;
  struct timespec Next;
  clock_gettime(CLOCK_MONOTONIC, &Next);
  pid_t Pid = getpid();
  while (Sampling.load(std::memory_order_relaxed)) {
    Next.tv_nsec += static_cast<long>(Period % 1000000000ull);
    Next.tv_sec += static_cast<time_t>(Period / 1000000000ull) +
                   Next.tv_nsec / 1000000000l;
    Next.tv_nsec %= 1000000000l;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &Next, nullptr) ==
           EINTR) {
    }
    if (!Sampling.load(std::memory_order_relaxed))
      break;
    if (inSignalSensitiveWait())
      continue;
    if (syscall(SYS_tgkill, Pid, SampledThread, SIGPROF) != 0)
      break; // The thread is gone.
  }
  return nullptr;
}

} // namespace

void startSampling() {
  uint64_t Period = config().SamplePeriodNs;
  if (Started || !Period)
    return;
  Started = true;
  // A program that profiles itself keeps its SIGPROF.
  struct sigaction Current;
  if (sigaction(SIGPROF, nullptr, &Current) != 0 ||
      (!(Current.sa_flags & SA_SIGINFO) && Current.sa_handler != SIG_DFL &&
       Current.sa_handler != SIG_IGN) ||
      ((Current.sa_flags & SA_SIGINFO) && Current.sa_sigaction))
    return;
  struct sigaction Act;
  std::memset(&Act, 0, sizeof(Act));
  Act.sa_sigaction = onSample;
  // SA_RESTART: reads and waits interrupted by a sample resume on their own.
  Act.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&Act.sa_mask);
  if (sigaction(SIGPROF, &Act, &OldProf) != 0)
    return;
  SampledThread = static_cast<pid_t>(syscall(SYS_gettid));
  char Path[64];
  std::snprintf(Path, sizeof(Path), "/proc/self/task/%d/syscall",
                static_cast<int>(SampledThread));
  SyscallFd = open(Path, O_RDONLY | O_CLOEXEC);
  Sampling.store(true);
  pthread_t Thread;
  if (pthread_create(&Thread, nullptr, samplerThread, nullptr) != 0) {
    Sampling.store(false);
    sigaction(SIGPROF, &OldProf, nullptr);
    return;
  }
  pthread_detach(Thread);
}

void stopSampling() {
  if (!Sampling.exchange(false))
    return;
  // The sampler thread sees Sampling off at its next wake-up; a signal
  // still pending finds it off too. Nothing here but the flag, since this
  // runs from crash handlers as well.
}

void writeSamples(JsonOut &Out) {
  Out.key("sampling");
  Out.raw("{\"period_ns\":");
  Out.u64(Started ? config().SamplePeriodNs : 0);
  Out.key("thread");
  Out.u64(static_cast<uint64_t>(SampledThread));
  Out.key("samples");
  Out.u64(Samples);
  Out.key("dropped");
  Out.u64(Dropped);
  Out.key("stacks");
  Out.ch('[');
  for (unsigned I = 0; I < NumStacks; ++I) {
    if (I)
      Out.ch(',');
    Out.ch('[');
    for (unsigned J = 0; J < Stacks[I].Len; ++J) {
      if (J)
        Out.ch(',');
      Out.hex(FramePool[Stacks[I].Begin + J]);
    }
    Out.ch(']');
  }
  Out.ch(']');
  Out.key("counts");
  Out.ch('[');
  bool First = true;
  for (const SampleCount &C : Counts) {
    if (!C.Key)
      continue;
    if (!First)
      Out.ch(',');
    First = false;
    Out.raw("{\"stack\":");
    Out.u64((C.Key >> 32) - 1);
    Out.key("step");
    Out.u64(C.Key & 0xffffffffu);
    Out.key("count");
    Out.u64(C.Count);
    Out.key("in_operator");
    Out.u64(C.InOperator);
    Out.ch('}');
  }
  Out.raw("]}");
}

} // namespace runtime
} // namespace trainlint
