//===--- Runtime.cpp - load, refuse, write, end
//-----------------------------===//
//
// The library's life in the user's process:
// - at load (a constructor, after libtorch's own), it reads its
//   configuration from the environment, checks that the libtorch in the
//   process is the one it was built against, and registers its callbacks;
// - it writes its data file exactly once: after the requested number of
//   steps, at exit, or on a fatal signal (then re-raises the signal, so the
//   exit status stays what it would have been);
// - after the requested number of steps it ends the program: from the main
//   thread with exit(0), so atexit handlers and static destructors run and
//   stdio is flushed (main's own locals are not destroyed); from any other
//   thread with a stdio flush and _exit(0). A watchdog ends the process if
//   exit() has not finished 10 seconds later. The data is on disk before
//   either begins.
// - a forked child records on its own and writes `<file>.<pid>`, never the
//   parent's file; so do programs exec'd by the observed one.
//
// Environment (set by `trainlint validate`):
//   TRAINLINT_RUNTIME_OUT       the data file; unset leaves the library inert
//   TRAINLINT_RUNTIME_STEPS     stop after this many measured steps (0: never)
//   TRAINLINT_RUNTIME_STEP_ON   "optimizer" (default) or "backward"
//   TRAINLINT_RUNTIME_EVAL_BATCHES  after the measured steps, run on through
//                               the first evaluation phase, at most this many
//                               evaluation batches (0, the default: stop)
//   TRAINLINT_RUNTIME_EVAL_WAIT_MS  ... and at most this long (default 30 s)
//   TRAINLINT_RUNTIME_SAMPLE_US  microseconds between two samples of the
//                               training thread's stack (default 500; 0:
//                               none)
//   TRAINLINT_RUNTIME_ROOT_PID  the pid that writes the data file itself
//   TRAINLINT_RUNTIME_TEST_TORCH_VERSION  tests only: pretend the loaded
//                               libtorch has this version
//
//===----------------------------------------------------------------------===//

#include "JsonOut.h"
#include "Recorder.h"

#include <ATen/Context.h>
#include <ATen/Version.h>
#include <torch/version.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <fmt/compile.h>
#include <fmt/core.h>
#include <link.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef TORCH_VERSION_MAJOR
#error "torch/version.h did not define TORCH_VERSION_MAJOR"
#endif

#define TRAINLINT_STR2(X) #X
#define TRAINLINT_STR(X) TRAINLINT_STR2(X)

namespace trainlint {
namespace runtime {

Config &config() {
  static Config C;
  return C;
}

ProcessInfo &processInfo() {
  static ProcessInfo P;
  return P;
}

namespace {

std::atomic<bool> Written{false};
// The data file's path without a pid suffix, for forked children.
char BasePath[4096];
// Static so that writing from a signal handler needs no stack to speak of.
JsonOut Out;
char TmpPath[4200];
char Message[1024];

const int HandledSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                              SIGTERM, SIGINT, SIGHUP, SIGQUIT};
struct sigaction OldActions[65];
char AltStack[1 << 16];

/// Formats into Buf[0, Cap), truncating, and ends the text with a NUL. A
/// format compiled at build time (FMT_COMPILE) of integers and strings
/// allocates nothing and reads no locale: this runs in signal handlers.
template <typename Compiled, typename... Args>
void formatTo(char *Buf, size_t Cap, const Compiled &Format,
              const Args &...Arguments) {
  size_t Room = Cap - 1;
  auto Result = fmt::format_to_n(Buf, Room, Format, Arguments...);
  Buf[Result.size < Room ? Result.size : Room] = 0;
}

void setOutPath(bool Root) {
  Config &C = config();
  if (Root)
    formatTo(C.OutPath, sizeof(C.OutPath), FMT_COMPILE("{}"), BasePath);
  else
    formatTo(C.OutPath, sizeof(C.OutPath), FMT_COMPILE("{}.{}"), BasePath,
             getpid());
}

void writeStep(const StepRecord &S, size_t Index, bool Complete) {
  Out.raw("{\"index\":");
  Out.u64(Index);
  Out.key("complete");
  Out.boolean(Complete);
  Out.key("start_ns");
  Out.u64(S.StartNs);
  Out.key("end_ns");
  Out.u64(S.EndNs);
  Out.key("op_ns");
  Out.u64(S.OpNs);
  Out.key("sync_ns");
  Out.u64(S.SyncNs);
  Out.key("backward_ns");
  Out.u64(S.BackwardNs);
  Out.key("other_threads_op_ns");
  Out.u64(S.OtherThreadOpNs);
  Out.key("ops");
  Out.u64(S.Ops);
  Out.key("grads_not_cleared");
  Out.u64(S.GradsNotCleared);
  Out.key("thread");
  Out.u64(S.Thread);
  Out.ch('}');
}

void writeTally(const char *Name, const Tally &T) {
  Out.key(Name);
  Out.raw("{\"count\":");
  Out.u64(T.Count);
  Out.key("ns");
  Out.u64(T.Ns);
  Out.key("gap_ns");
  Out.u64(T.GapNs);
  Out.key("bytes");
  Out.u64(T.Bytes);
  Out.key("min_bytes");
  Out.u64(T.MinBytes == ~0ull ? 0 : T.MinBytes);
  Out.key("max_bytes");
  Out.u64(T.MaxBytes);
  Out.key("nodes");
  Out.u64(T.Nodes);
  Out.key("nodes_backwarded");
  Out.u64(T.NodesBackwarded);
  Out.ch('}');
}

void writeSite(const SiteKey &K, const SiteStats &S) {
  Out.raw("{\"stack\":");
  Out.u64(K.Stack);
  Out.key("op");
  Out.u64(K.Op);
  Out.key("thread");
  Out.u64(K.Thread);
  Out.key("flags");
  Out.ch('[');
  bool First = true;
  for (unsigned Bit = 0; Bit < 32; ++Bit)
    if (K.Flags >> Bit & 1)
      if (const char *Name = flagName(Bit)) {
        if (!First)
          Out.ch(',');
        First = false;
        Out.str(Name);
      }
  Out.ch(']');
  Out.key("src");
  Out.str(deviceName(K.Src));
  Out.key("dst");
  Out.str(deviceName(K.Dst));
  Out.key("steps_seen");
  Out.u64(S.StepsSeen);
  writeTally("setup", S.Setup);
  writeTally("measured", S.Measured);
  writeTally("tail", S.Tail);
  if (!S.Series.empty()) {
    Out.key("series");
    Out.ch('[');
    for (size_t I = 0; I < S.Series.size(); ++I) {
      const StepPoint &P = S.Series[I];
      if (I)
        Out.ch(',');
      Out.raw("{\"step\":");
      Out.i64(P.Step);
      Out.key("count");
      Out.u64(P.Count);
      Out.key("bytes");
      Out.u64(P.Bytes);
      Out.key("max_bytes");
      Out.u64(P.MaxBytes);
      Out.ch('}');
    }
    Out.ch(']');
  }
  Out.ch('}');
}

void writeTables() {
  Recorder &R = recorder();
  Out.key("counts");
  Out.raw("{\"backward_passes\":");
  Out.u64(R.BackwardPasses);
  Out.key("optimizer_steps");
  Out.u64(R.OptimizerSteps);
  Out.key("top_level_ops");
  Out.u64(R.TopLevelOps);
  Out.key("unwinds");
  Out.u64(R.Unwinds);
  Out.key("stack_cache_hits");
  Out.u64(R.StackCacheHits);
  Out.key("callback_errors");
  Out.u64(R.CallbackErrors);
  Out.key("too_deep");
  Out.u64(R.TooDeep);
  Out.key("loose_sync_reports");
  Out.u64(R.LooseSyncReports);
  Out.key("node_ranges_overflow");
  Out.boolean(R.RangesOverflow);
  Out.ch('}');

  Out.key("steps");
  Out.ch('[');
  for (size_t I = 0; I < R.Steps.size(); ++I) {
    if (I)
      Out.ch(',');
    // Every step but the last ended at a step boundary.
    writeStep(R.Steps[I], I, I + 1 < R.Steps.size());
  }
  Out.ch(']');

  Out.key("ops");
  Out.ch('[');
  for (unsigned I = 0; I < R.NumOps; ++I) {
    if (I)
      Out.ch(',');
    Out.str(R.OpNames[I] ? R.OpNames[I] : "");
  }
  Out.ch(']');

  Out.key("stacks");
  Out.ch('[');
  for (size_t I = 0; I < R.StackBegin.size(); ++I) {
    if (I)
      Out.ch(',');
    Out.ch('[');
    for (unsigned J = 0; J < R.StackLen[I]; ++J) {
      if (J)
        Out.ch(',');
      Out.hex(R.Frames[R.StackBegin[I] + J]);
    }
    Out.ch(']');
  }
  Out.ch(']');

  Out.key("sites");
  Out.ch('[');
  bool First = true;
  for (const auto &[K, S] : R.Sites) {
    if (!First)
      Out.ch(',');
    First = false;
    writeSite(K, S);
  }
  Out.ch(']');

  // Losses still on their way from a device (a crash) are left out.
  Out.key("losses");
  Out.ch('[');
  First = true;
  for (const LossPoint &P : R.Losses) {
    if (P.Pending >= 0)
      continue;
    if (!First)
      Out.ch(',');
    First = false;
    Out.raw("{\"step\":");
    Out.i64(P.Step);
    Out.key("stack");
    Out.u64(P.Stack);
    Out.key("value");
    Out.real(P.Value);
    Out.ch('}');
  }
  Out.ch(']');

  const EvaluationState &E = R.Evaluation;
  // An evaluation phase still running when the program stopped.
  bool Running = E.Repeats >= 2;
  Out.key("evaluation");
  Out.raw("{\"batches\":");
  Out.u64(E.Batches + (Running ? E.Repeats : 0));
  Out.key("phases");
  Out.u64(E.Phases + (Running ? 1 : 0));
  Out.key("waited");
  Out.boolean(E.Draining);
  Out.key("stopped_by");
  Out.str(E.StoppedBy);
  Out.ch('}');
}

/// Takes the recorder's lock for writing; from a signal handler it waits at
/// most about 200 ms, and never for a lock its own thread holds.
bool lockForWriting(bool InSignal) {
  if (HoldsLock)
    return false;
  if (!InSignal) {
    recorder().Lock.lock();
    return true;
  }
  for (int I = 0; I < 2000; ++I) {
    if (recorder().Lock.try_lock())
      return true;
    struct timespec Wait = {0, 100000};
    nanosleep(&Wait, nullptr);
  }
  return false;
}

void onSignal(int Sig, siginfo_t *Info, void *Context) {
  int SavedErrno = errno;
  writeData(EndReason::Signal, Sig, nullptr);
  const struct sigaction &Old = OldActions[Sig];
  if (Old.sa_flags & SA_SIGINFO) {
    if (Old.sa_sigaction) {
      Old.sa_sigaction(Sig, Info, Context);
      errno = SavedErrno;
      return;
    }
  } else if (Old.sa_handler == SIG_IGN) {
    errno = SavedErrno;
    return;
  } else if (Old.sa_handler != SIG_DFL) {
    Old.sa_handler(Sig);
    errno = SavedErrno;
    return;
  }
  // Default action: restore it and let the signal take the process down the
  // way it would have without us. A fault the kernel raised recurs when the
  // handler returns; anything else is raised again (and stays pending until
  // the handler returns).
  signal(Sig, SIG_DFL);
  bool Fault =
      Sig == SIGSEGV || Sig == SIGBUS || Sig == SIGFPE || Sig == SIGILL;
  if (!Fault || !Info || Info->si_code <= 0)
    raise(Sig);
  errno = SavedErrno;
}

void installSignalHandlers() {
  stack_t Alt;
  Alt.ss_sp = AltStack;
  Alt.ss_size = sizeof(AltStack);
  Alt.ss_flags = 0;
  sigaltstack(&Alt, nullptr);
  for (int Sig : HandledSignals) {
    struct sigaction Act;
    std::memset(&Act, 0, sizeof(Act));
    Act.sa_sigaction = onSignal;
    Act.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&Act.sa_mask);
    sigaction(Sig, &Act, &OldActions[Sig]);
  }
}

void onExit() { writeData(EndReason::Exit, 0, nullptr); }

void beforeFork() {
  if (isObserving())
    recorder().Lock.lock();
}
void afterForkParent() {
  if (isObserving())
    recorder().Lock.unlock();
}
void afterForkChild() {
  if (!isObserving())
    return;
  resetAfterFork();
  processInfo().ForkedChild = true;
  processInfo().StartNs = nowNs();
  config().IsRoot = false;
  setOutPath(false);
  Written.store(false);
  recorder().Lock.unlock();
}

void *watchdog(void *) {
  struct timespec Wait = {10, 0};
  while (nanosleep(&Wait, &Wait) != 0 && errno == EINTR) {
  }
  const char Text[] = "trainlint-runtime: exit did not finish in 10 s; "
                      "ending the process\n";
  ssize_t Ignored = write(2, Text, sizeof(Text) - 1);
  (void)Ignored;
  _exit(0);
}

struct TorchModules {
  char Cpu[2][512];
  char C10[2][512];
  unsigned NumCpu = 0, NumC10 = 0;
};

int findTorchModules(struct dl_phdr_info *Info, size_t, void *Arg) {
  TorchModules &M = *static_cast<TorchModules *>(Arg);
  const char *Name = Info->dlpi_name ? Info->dlpi_name : "";
  const char *Base = std::strrchr(Name, '/');
  Base = Base ? Base + 1 : Name;
  char Real[512];
  if (!realpath(Name, Real))
    formatTo(Real, sizeof(Real), FMT_COMPILE("{}"), Name);
  auto Add = [&](char(*List)[512], unsigned &N) {
    for (unsigned I = 0; I < N; ++I)
      if (std::strcmp(List[I], Real) == 0)
        return;
    if (N < 2)
      formatTo(List[N++], sizeof(List[0]), FMT_COMPILE("{}"), Real);
  };
  if (std::strncmp(Base, "libtorch_cpu.so", 15) == 0)
    Add(M.Cpu, M.NumCpu);
  else if (std::strncmp(Base, "libc10.so", 9) == 0)
    Add(M.C10, M.NumC10);
  return 0;
}

/// "1.13.0+cu117" -> "1.13.0".
void plainVersion(const char *In, char *OutBuf, size_t Cap) {
  size_t N = 0;
  while (In[N] && In[N] != '+' && In[N] != ',' && In[N] != ' ' && N + 1 < Cap) {
    OutBuf[N] = In[N];
    ++N;
  }
  OutBuf[N] = 0;
}

/// Checks that the process has exactly one libtorch and that it is the
/// version this library was built against. Fills Message when not.
bool checkTorch() {
  ProcessInfo &P = processInfo();
  formatTo(P.TorchBuilt, sizeof(P.TorchBuilt), FMT_COMPILE("{}.{}.{}"),
           TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH);
  TorchModules M;
  dl_iterate_phdr(findTorchModules, &M);
  if (M.NumCpu > 1 || M.NumC10 > 1) {
    formatTo(Message, sizeof(Message),
             FMT_COMPILE("the program loaded two copies of libtorch ({} and "
                         "{}); the runtime was built against libtorch {}: "
                         "rebuild it with -DTorch_DIR pointing at the "
                         "program's libtorch"),
             M.NumCpu > 1 ? M.Cpu[0] : M.C10[0],
             M.NumCpu > 1 ? M.Cpu[1] : M.C10[1], P.TorchBuilt);
    return false;
  }
  // Ask the loaded libtorch for its version, but only through a symbol that
  // exists: calling an unresolved one would end the process.
  char Loaded[64] = "";
  if (dlsym(RTLD_DEFAULT, "_ZN2at11show_configB5cxx11Ev")) {
    std::string Config = at::show_config();
    size_t At = Config.find("TORCH_VERSION=");
    if (At != std::string::npos)
      plainVersion(Config.c_str() + At + 14, Loaded, sizeof(Loaded));
    P.CudaBuild = Config.find("USE_CUDA=ON") != std::string::npos ||
                  Config.find("USE_CUDA=1") != std::string::npos;
  }
  if (const char *Test = getenv("TRAINLINT_RUNTIME_TEST_TORCH_VERSION"))
    plainVersion(Test, Loaded, sizeof(Loaded));
  formatTo(P.TorchLoaded, sizeof(P.TorchLoaded), FMT_COMPILE("{}"),
           *Loaded ? Loaded : "unknown");
  if (std::strcmp(P.TorchLoaded, P.TorchBuilt) != 0) {
    formatTo(Message, sizeof(Message),
             FMT_COMPILE("the runtime was built against libtorch {} but the "
                         "program loaded libtorch {}; rebuild it with "
                         "-DTorch_DIR pointing at the program's libtorch"),
             P.TorchBuilt, P.TorchLoaded);
    return false;
  }
  return true;
}

__attribute__((constructor)) void loadRuntime() {
  const char *OutEnv = getenv("TRAINLINT_RUNTIME_OUT");
  if (!OutEnv || !*OutEnv || std::strlen(OutEnv) + 32 > sizeof(BasePath))
    return;
  formatTo(BasePath, sizeof(BasePath), FMT_COMPILE("{}"), OutEnv);
  Config &C = config();
  ProcessInfo &P = processInfo();
  P.StartNs = nowNs();
  if (const char *Steps = getenv("TRAINLINT_RUNTIME_STEPS"))
    C.StopAfterSteps = std::strtoull(Steps, nullptr, 10);
  if (const char *On = getenv("TRAINLINT_RUNTIME_STEP_ON"))
    C.StepOnBackward = std::strcmp(On, "backward") == 0;
  if (const char *Batches = getenv("TRAINLINT_RUNTIME_EVAL_BATCHES"))
    C.EvalBatches = std::strtoull(Batches, nullptr, 10);
  C.SamplePeriodNs = 500000;
  if (const char *Period = getenv("TRAINLINT_RUNTIME_SAMPLE_US"))
    C.SamplePeriodNs = std::strtoull(Period, nullptr, 10) * 1000ull;
  C.EvalWaitNs = 30000ull * 1000000ull;
  if (const char *Wait = getenv("TRAINLINT_RUNTIME_EVAL_WAIT_MS"))
    C.EvalWaitNs = std::strtoull(Wait, nullptr, 10) * 1000000ull;
  // The first process to load the library writes the data file itself and
  // tells its descendants so through the environment.
  const char *Root = getenv("TRAINLINT_RUNTIME_ROOT_PID");
  if (Root && *Root) {
    C.RootPid = std::atoi(Root);
    C.IsRoot = C.RootPid == getpid();
  } else {
    char Pid[24];
    formatTo(Pid, sizeof(Pid), FMT_COMPILE("{}"), getpid());
    setenv("TRAINLINT_RUNTIME_ROOT_PID", Pid, 1);
    C.RootPid = getpid();
    C.IsRoot = true;
  }
  setOutPath(C.IsRoot);

  if (!checkTorch()) {
    fmt::print(stderr, "trainlint-runtime: error: {}\n", Message);
    writeData(EndReason::Refused, 0, Message);
    _exit(RefusedExitStatus);
  }
  if (P.CudaBuild)
    P.CudaAvailable = at::globalContext().hasCUDA();

  initSkipRanges();
  refreshModules(true);
  // Warm the unwinder up here: its first use may load libgcc_s.
  {
    ThreadData *T = threadData();
    if (T)
      captureStack(*T, 0);
  }
  installSignalHandlers();
  pthread_atfork(beforeFork, afterForkParent, afterForkChild);
  atexit(onExit);
#ifdef TRAINLINT_RUNTIME_CUDA
  cudaInit();
#endif
  registerObserver();
}

} // namespace

bool writeData(EndReason Reason, int Signal, const char *Text) {
  if (Written.exchange(true) || !config().OutPath[0])
    return false;
  bool InSignal = Reason == EndReason::Signal;
  stopObserving();
  stopSampling();
  bool Locked = Reason != EndReason::Refused && lockForWriting(InSignal);
  uint64_t End = nowNs();
  Recorder &R = recorder();
  if (Locked) {
    if (!InSignal)
      refreshModules(true);
    // The step in progress is complete only when the stop-after-N-steps
    // boundary just opened it (it has seen no calls).
    closeSitesLocked(false, !InSignal);
    resolveNodesLocked();
    resolveLossesLocked(!InSignal);
    if (!R.Steps.empty() && !R.Steps.back().EndNs)
      R.Steps.back().EndNs = End;
  }

  formatTo(TmpPath, sizeof(TmpPath), FMT_COMPILE("{}.tmp"), config().OutPath);
  Out.Fd = open(TmpPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  Out.Failed = Out.Fd < 0;
  Out.Used = 0;
  if (!Out.Failed) {
    const ProcessInfo &P = processInfo();
    const Config &C = config();
    Out.raw("{\"format\":\"trainlint-runtime\",\"version\":1");
    Out.key("pid");
    Out.u64(static_cast<uint64_t>(getpid()));
    Out.key("parent_pid");
    Out.u64(static_cast<uint64_t>(getppid()));
    Out.key("root_pid");
    Out.u64(static_cast<uint64_t>(C.RootPid));
    Out.key("forked_child");
    Out.boolean(P.ForkedChild);
    Out.key("torch");
    Out.raw("{\"built\":");
    Out.str(P.TorchBuilt);
    Out.key("loaded");
    Out.str(P.TorchLoaded);
    Out.key("cuda_build");
    Out.boolean(P.CudaBuild);
    Out.key("cuda_available");
    Out.boolean(P.CudaAvailable);
    Out.key("runtime_cuda");
#ifdef TRAINLINT_RUNTIME_CUDA
    Out.boolean(true);
#else
    Out.boolean(false);
#endif
    Out.ch('}');
    Out.key("config");
    Out.raw("{\"stop_after_steps\":");
    Out.u64(C.StopAfterSteps);
    Out.key("step_on");
    Out.str(C.StepOnBackward ? "backward" : "optimizer");
    Out.key("eval_batches");
    Out.u64(C.EvalBatches);
    Out.key("eval_wait_ms");
    Out.u64(C.EvalWaitNs / 1000000ull);
    Out.ch('}');
    Out.key("end");
    Out.raw("{\"reason\":");
    Out.str(Reason == EndReason::Exit           ? "exit"
            : Reason == EndReason::StepsReached ? "steps-reached"
            : Reason == EndReason::Signal       ? "signal"
                                                : "refused");
    Out.key("signal");
    Out.u64(static_cast<uint64_t>(Signal));
    Out.key("signal_name");
    const char *Name = signalName(Signal);
    Out.str(Name ? Name : "");
    Out.ch('}');
    if (Text) {
      Out.key("message");
      Out.str(Text);
    }
    Out.key("time");
    Out.raw("{\"start_ns\":");
    Out.u64(P.StartNs);
    Out.key("end_ns");
    Out.u64(End);
    Out.ch('}');
    Out.key("tables_complete");
    Out.boolean(Locked);
    Out.key("modules");
    writeModules(Out);
    if (Locked) {
      writeTables();
      writeSamples(Out);
#ifdef TRAINLINT_RUNTIME_CUDA
      if (!InSignal)
        cudaWriteStepTimes(Out, R.Steps.size());
#endif
    }
    Out.raw("}\n");
    Out.flush();
    bool Failed = Out.Failed;
    close(Out.Fd);
    if (!Failed)
      rename(TmpPath, config().OutPath);
    else
      unlink(TmpPath);
  }
  if (Locked)
    R.Lock.unlock();
  return true;
}

[[noreturn]] void finishAfterSteps() {
  writeData(EndReason::StepsReached, 0, nullptr);
  std::fflush(nullptr);
  bool MainThread = syscall(SYS_gettid) == getpid();
  if (MainThread) {
    pthread_t Watchdog;
    if (pthread_create(&Watchdog, nullptr, watchdog, nullptr) == 0)
      pthread_detach(Watchdog);
    std::exit(0);
  }
  _exit(0);
}

} // namespace runtime
} // namespace trainlint
