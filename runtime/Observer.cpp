//===--- Observer.cpp - RecordFunction callbacks and training steps
//---------===//
//
// One global RecordFunction callback pair sees every operator call on every
// thread. Per thread the runtime keeps a small stack of the calls in
// progress: the outermost one (depth 0) is the user's call, whose stack and
// time are recorded; calls nested in it only classify what it did (a nested
// `_local_scalar_dense` makes the outer `item()` a sync, a nested `copy_`
// between devices makes the outer `to()` a transfer).
//
// Steps. What libtorch 1.13 and 2.x both let an observer see of a training
// step is this: a backward pass shows up as records of the autograd engine
// ("autograd::engine::evaluate_function: ...", and nodes in the
// BACKWARD_FUNCTION scope); optimizers run their updates under a
// NoGradGuard, so after a backward pass the first top-level operator with
// grad mode off is the optimizer step; the first grad-mode operator after
// that on the same thread (the next forward pass, `item()` on the loss,
// `zero_grad()`) ends the step. A step boundary is that operator's start.
// With TRAINLINT_RUNTIME_STEP_ON=backward every backward pass is a step
// instead (for optimizers that run with grad mode on).
//
// Evaluation. An evaluation batch is a forward pass that no backward pass
// follows. What shows it: the first forward call after a backward pass (a
// top-level call that built autograd nodes, or a dropout or batch norm in
// training mode with grad mode off) runs again, from the same stack, before
// the next backward pass; each run of it is a batch. The next backward pass
// ends the evaluation phase. Evaluation mostly runs between epochs or after
// training, outside the measured steps: with Config::EvalBatches set, the
// step that would stop the program starts a wait instead, which ends at the
// first step boundary after an evaluation phase ended, after EvalBatches
// batches, or EvalWaitNs after the last measured step. Steps after the
// measured ones are recorded as the tail.
//
// Losses. `backward()` on a scalar makes its gradient with
// `at::ones_like(loss)` (torch::autograd's _make_grads, 1.13 and 2.x) before
// the engine starts: that top-level call names the loss. On the CPU its value
// is read then, from host memory; a device loss is copied without blocking
// into a pinned host buffer on the current stream and read when the data
// file is written.
//
//===----------------------------------------------------------------------===//

#include "Recorder.h"

#include <ATen/Context.h>
#include <ATen/SequenceNumber.h>
#include <ATen/core/function_schema.h>
#include <ATen/Functions.h>
#include <ATen/record_function.h>
#include <c10/core/DefaultDtype.h>
#include <c10/core/GradMode.h>
#include <c10/core/ScalarType.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <ctime>
#include <limits>
#include <new>
#include <pthread.h>

namespace trainlint {
namespace runtime {

thread_local bool HoldsLock = false;

uint64_t nowNs() {
  struct timespec TS;
  clock_gettime(CLOCK_MONOTONIC, &TS);
  return static_cast<uint64_t>(TS.tv_sec) * 1000000000ull +
         static_cast<uint64_t>(TS.tv_nsec);
}

Recorder &recorder() {
  // Never destroyed: other threads may still call in while the process
  // exits.
  alignas(Recorder) static char Storage[sizeof(Recorder)];
  static Recorder *R = new (Storage) Recorder();
  return *R;
}

const char *deviceName(int Type) {
  switch (Type) {
  case -1:
    return "none";
  case static_cast<int>(c10::DeviceType::CPU):
    return "cpu";
  case static_cast<int>(c10::DeviceType::CUDA):
    return "cuda";
  case static_cast<int>(c10::DeviceType::HIP):
    return "hip";
  case static_cast<int>(c10::DeviceType::XLA):
    return "xla";
  case static_cast<int>(c10::DeviceType::MPS):
    return "mps";
  case static_cast<int>(c10::DeviceType::Meta):
    return "meta";
  case static_cast<int>(c10::DeviceType::XPU):
    return "xpu";
  default:
    return "other";
  }
}

//===----------------------------------------------------------------------===//
// AddressMap
//===----------------------------------------------------------------------===//

void AddressMap::clear() {
  if (!Size)
    return;
  std::fill(Keys.begin(), Keys.end(), 0);
  Size = 0;
}

uint32_t *AddressMap::find(uintptr_t Key) {
  if (Keys.empty() || !Key)
    return nullptr;
  size_t Mask = Keys.size() - 1;
  for (size_t I = (Key * 0x9E3779B97F4A7C15ull) >> 20 & Mask;;
       I = (I + 1) & Mask) {
    if (Keys[I] == Key)
      return &Values[I];
    if (!Keys[I])
      return nullptr;
  }
}

void AddressMap::set(uintptr_t Key, uint32_t Value) {
  if (!Key)
    return;
  if ((Size + 1) * 2 > Keys.size())
    grow();
  size_t Mask = Keys.size() - 1;
  for (size_t I = (Key * 0x9E3779B97F4A7C15ull) >> 20 & Mask;;
       I = (I + 1) & Mask) {
    if (Keys[I] == Key) {
      Values[I] = Value;
      return;
    }
    if (!Keys[I]) {
      Keys[I] = Key;
      Values[I] = Value;
      ++Size;
      return;
    }
  }
}

void AddressMap::grow() {
  std::vector<uintptr_t> OldKeys(std::max<size_t>(64, Keys.size() * 2), 0);
  std::vector<uint32_t> OldValues(OldKeys.size(), 0);
  OldKeys.swap(Keys);
  OldValues.swap(Values);
  Size = 0;
  for (size_t I = 0; I < OldKeys.size(); ++I)
    if (OldKeys[I])
      set(OldKeys[I], OldValues[I]);
}

//===----------------------------------------------------------------------===//
// Sites
//===----------------------------------------------------------------------===//

void Tally::add(const Tally &O) {
  Count += O.Count;
  Ns += O.Ns;
  GapNs += O.GapNs;
  Bytes += O.Bytes;
  MaxBytes = std::max(MaxBytes, O.MaxBytes);
  MinBytes = std::min(MinBytes, O.MinBytes);
  Nodes += O.Nodes;
  NodesBackwarded += O.NodesBackwarded;
}

void Tally::addBytes(uint64_t B) {
  Bytes += B;
  MaxBytes = std::max(MaxBytes, B);
  MinBytes = std::min(MinBytes, B);
}

namespace {

void closeOpen(SiteStats &Site, uint32_t Flags, bool AsTail,
               bool MayAllocate = true) {
  if (Site.OpenStep < 0)
    return;
  // Steps after the measured ones (the wait for evaluation) are the tail.
  uint64_t Stop = config().StopAfterSteps;
  if (Stop && static_cast<uint64_t>(Site.OpenStep) > Stop)
    AsTail = true;
  if (AsTail) {
    Site.Tail.add(Site.Open);
  } else if (Site.OpenStep == 0) {
    Site.Setup.add(Site.Open);
  } else {
    Site.Measured.add(Site.Open);
    ++Site.StepsSeen;
    // Per-step points for what changes from step to step: a growing `cat`,
    // the tensors a line creates.
    if ((Flags & (FlagCat | FlagFactory)) && Site.Series.size() < 100000 &&
        (MayAllocate || Site.Series.size() < Site.Series.capacity()))
      Site.Series.push_back({Site.OpenStep, Site.Open.Count, Site.Open.Bytes,
                             Site.Open.MaxBytes});
  }
  Site.Open = Tally();
  Site.OpenStep = -1;
}

} // namespace

Tally &tallyLocked(SiteStats &Site, uint32_t Flags, int32_t Step) {
  if (Step == Site.OpenStep)
    return Site.Open;
  if (Step > Site.OpenStep) {
    closeOpen(Site, Flags, false);
    Site.OpenStep = Step;
    return Site.Open;
  }
  // A call that began before the open step (a long call on another thread).
  return Step == 0 ? Site.Setup : Site.Measured;
}

void closeSitesLocked(bool LastStepComplete, bool MayAllocate) {
  Recorder &R = recorder();
  int32_t Last = static_cast<int32_t>(R.Steps.size()) - 1;
  for (auto &[Key, Site] : R.Sites)
    closeOpen(Site, Key.Flags,
              !LastStepComplete && Site.OpenStep == Last && Last > 0,
              MayAllocate);
}

//===----------------------------------------------------------------------===//
// Threads and names
//===----------------------------------------------------------------------===//

namespace {

ThreadData *const DeadThread = reinterpret_cast<ThreadData *>(1);
thread_local ThreadData *CurrentThread = nullptr;
pthread_key_t ThreadKey;
pthread_once_t ThreadKeyOnce = PTHREAD_ONCE_INIT;
bool HaveThreadKey = false;
std::atomic<unsigned> ThreadCount{0};

void releaseThread(void *Data) {
  delete static_cast<ThreadData *>(Data);
  CurrentThread = DeadThread;
}

// The key frees a thread's data when the thread ends.
void createThreadKey() {
  HaveThreadKey = pthread_key_create(&ThreadKey, releaseThread) == 0;
}

} // namespace

ThreadData *threadData() {
  ThreadData *T = CurrentThread;
  if (T)
    return T == DeadThread ? nullptr : T;
  pthread_once(&ThreadKeyOnce, createThreadKey);
  T = new (std::nothrow) ThreadData;
  if (!T)
    return nullptr;
  std::fill(std::begin(T->SigHead), std::end(T->SigHead), -1);
  T->Index = static_cast<uint16_t>(++ThreadCount);
  CurrentThread = T;
  if (HaveThreadKey)
    pthread_setspecific(ThreadKey, T);
  return T;
}

ThreadData *threadDataIfAny() {
  ThreadData *T = CurrentThread;
  return T == DeadThread ? nullptr : T;
}

uint16_t internOp(ThreadData &T, const char *Name) {
  uintptr_t P = reinterpret_cast<uintptr_t>(Name);
  ThreadData::NameSlot &Slot = T.NameCache[(P >> 3 ^ P >> 13) & 1023];
  Recorder &R = recorder();
  if (Slot.Ptr == Name && std::strcmp(R.OpNames[Slot.Id], Name) == 0)
    return Slot.Id;
  uint16_t Id;
  {
    RecorderLock L;
    auto It = R.OpIds.find(Name);
    if (It != R.OpIds.end()) {
      Id = It->second;
    } else if (R.NumOps < Recorder::MaxOps) {
      Id = static_cast<uint16_t>(R.NumOps);
      R.OpNames[R.NumOps++] = strdup(Name);
      R.OpIds.emplace(Name, Id);
    } else {
      return 0; // Out of ids: the first name stands for the rest.
    }
  }
  Slot.Ptr = Name;
  Slot.Id = Id;
  return Id;
}

namespace {

//===----------------------------------------------------------------------===//
// Operators the runtime classifies
//===----------------------------------------------------------------------===//

struct KnownOps {
  uint16_t LocalScalarDense, Copy, To, ToCopy, Cat, Concat, Concatenate,
      Nonzero, MaskedSelect, Unique, Unique2, UniqueDim, UniqueConsecutive,
      Zero, Fill, AddInplace, Add, Detach, Backward, GradNotCleared, SyncReport,
      OnesLike;
  uint16_t CudaApi[NumCudaAllocCalls];
};
KnownOps Known;

/// The operators whose behaviour a module's train or eval mode switches,
/// with the position of their `train`/`training` argument.
struct ModeOp {
  const char *Name;
  uint8_t TrainingArg;
  uint16_t Id;
};
ModeOp ModeOps[] = {
    {"aten::dropout", 2, 0},
    {"aten::native_dropout", 2, 0},
    {"aten::feature_dropout", 2, 0},
    {"aten::alpha_dropout", 2, 0},
    {"aten::feature_alpha_dropout", 2, 0},
    {"aten::batch_norm", 5, 0},
    {"aten::_batch_norm_impl_index", 5, 0},
    {"aten::native_batch_norm", 5, 0},
    {"aten::_native_batch_norm_legit", 5, 0},
};

uint16_t internAtInit(const char *Name) {
  RecorderLock L;
  Recorder &R = recorder();
  auto It = R.OpIds.find(Name);
  if (It != R.OpIds.end())
    return It->second;
  uint16_t Id = static_cast<uint16_t>(R.NumOps);
  R.OpNames[R.NumOps++] = strdup(Name);
  R.OpIds.emplace(Name, Id);
  return Id;
}

//===----------------------------------------------------------------------===//
// Step state
//===----------------------------------------------------------------------===//

enum Phase : int { PhaseIdle, PhaseBackward, PhaseOptimizer };

std::atomic<bool> Observing{false};
std::atomic<int> CurrentPhase{PhaseIdle};
std::atomic<bool> Armed{false};
std::atomic<int32_t> CurrentStep{0};
// The thread that last built an autograd graph; a backward pass makes it the
// training thread, whose operators alone move the step state on.
std::atomic<unsigned> GraphThread{0};
std::atomic<unsigned> TrainingThread{0};
// The stack of the `backward()` call of the pass in progress.
std::atomic<uint32_t> BackwardStack{0};
// Set when a step boundary reached the requested number of steps.
std::atomic<bool> StopRequested{false};
// Set when the wait for evaluation is over away from a step boundary; the
// next top-level call stops the program.
std::atomic<bool> StopAtNextCall{false};

bool startsWith(const char *S, const char *Prefix) {
  return std::strncmp(S, Prefix, std::strlen(Prefix)) == 0;
}

const at::Tensor *tensorAt(c10::ArrayRef<const c10::IValue> In, size_t I) {
  if (I >= In.size() || !In[I].isTensor())
    return nullptr;
  const at::Tensor &T = In[I].toTensor();
  return T.defined() ? &T : nullptr;
}

uint64_t bytesOf(const at::Tensor &T) {
  if (T.layout() != c10::kStrided)
    return 0;
  return T.nbytes();
}

int8_t deviceOf(const at::Tensor &T) {
  return static_cast<int8_t>(T.device().type());
}

uintptr_t storageOf(const at::Tensor &T) {
  return reinterpret_cast<uintptr_t>(
      T.unsafeGetTensorImpl()->unsafe_storage().unsafeGetStorageImpl());
}

bool isPinned(const at::Tensor &T) {
  if (!processInfo().CudaAvailable || T.device().type() != c10::kCPU)
    return false;
  void *Data = T.unsafeGetTensorImpl()->unsafe_storage().data_ptr().get();
  return Data && at::globalContext().isPinnedPtr(Data);
}

StepRecord &stepLocked(int32_t Step) {
  Recorder &R = recorder();
  if (Step < 0 || static_cast<size_t>(Step) >= R.Steps.size())
    return R.Steps.back();
  return R.Steps[static_cast<size_t>(Step)];
}

/// A step boundary, at the start of a call on thread T. The caller holds the
/// lock. Returns true when the requested number of steps is complete.
bool cutLocked(ThreadData &T) {
  Recorder &R = recorder();
  uint64_t Now = nowNs();
  int32_t Step = CurrentStep.load();
  stepLocked(Step).EndNs = Now;
  StepRecord Next;
  Next.StartNs = Now;
  Next.Thread = T.Index;
  R.Steps.push_back(Next);
  CurrentStep.store(Step + 1);
  R.Zeroed.clear();
  refreshModules(false);
  // The first boundary is on the training thread: from here on its time is
  // sampled.
  if (Step == 0)
    startSampling();
#ifdef TRAINLINT_RUNTIME_CUDA
  cudaOnStep(static_cast<uint64_t>(Step + 1));
#endif
  uint64_t Stop = config().StopAfterSteps;
  if (!Stop || static_cast<uint64_t>(Step + 1) <= Stop)
    return false;
  EvaluationState &E = R.Evaluation;
  if (!config().EvalBatches) {
    E.StoppedBy = "steps";
    return true;
  }
  if (E.Phases) {
    E.StoppedBy = E.Draining ? "evaluation-ended" : "evaluation-seen";
    return true;
  }
  if (!E.Draining) {
    E.Draining = true;
    E.DrainStartNs = Now;
    return false;
  }
  if (Now - E.DrainStartNs > config().EvalWaitNs) {
    E.StoppedBy = "wait-limit";
    return true;
  }
  return false;
}

/// A forward call: the first after a backward pass, or that one again (an
/// evaluation batch). Key tells calls apart by stack and operator. The
/// caller holds the lock.
void noteForwardLocked(uint64_t Key) {
  EvaluationState &E = recorder().Evaluation;
  if (!E.FirstKey) {
    E.FirstKey = Key;
    E.Repeats = 1;
    return;
  }
  if (Key != E.FirstKey)
    return;
  ++E.Repeats;
  if (!E.Draining)
    return;
  if (E.Repeats >= config().EvalBatches) {
    E.StoppedBy = "batch-limit";
    StopAtNextCall.store(true);
  } else if (nowNs() - E.DrainStartNs > config().EvalWaitNs) {
    E.StoppedBy = "wait-limit";
    StopAtNextCall.store(true);
  }
}

/// A backward pass began: forward calls repeated since the last one were an
/// evaluation phase, which is over. The caller holds the lock.
void endEvaluationLocked() {
  EvaluationState &E = recorder().Evaluation;
  if (E.Repeats >= 2) {
    E.Batches += E.Repeats;
    ++E.Phases;
  }
  E.FirstKey = 0;
  E.Repeats = 0;
}

/// Moves the step state on at the start of a top-level, non-engine call.
void stepTransition(ThreadData &T, bool Grad) {
  if (StopAtNextCall.load(std::memory_order_relaxed) &&
      !StopRequested.exchange(true))
    finishAfterSteps();
  int P = CurrentPhase.load(std::memory_order_relaxed);
  bool Cut = false, Stop = false;
  if (config().StepOnBackward) {
    if (P != PhaseBackward || T.Index != TrainingThread.load())
      return;
    RecorderLock L;
    if (CurrentPhase.load() == PhaseBackward) {
      CurrentPhase.store(PhaseIdle);
      Cut = true;
      Stop = cutLocked(T);
    }
  } else if (!Grad) {
    if (!Armed.load(std::memory_order_relaxed) ||
        T.Index != TrainingThread.load())
      return;
    RecorderLock L;
    if (Armed.exchange(false)) {
      CurrentPhase.store(PhaseOptimizer);
      ++recorder().OptimizerSteps;
    }
  } else {
    if (P == PhaseIdle || T.Index != TrainingThread.load())
      return;
    RecorderLock L;
    int Now = CurrentPhase.load();
    if (Now == PhaseOptimizer) {
      CurrentPhase.store(PhaseIdle);
      Cut = true;
      Stop = cutLocked(T);
    } else if (Now == PhaseBackward) {
      CurrentPhase.store(PhaseIdle);
    }
  }
  if (Cut && Stop && !StopRequested.exchange(true))
    finishAfterSteps();
}

void noteNodeExecuted(uint64_t ForwardTid, int64_t Seq) {
  // Bitmaps are bounded: 256 forward threads, 2^26 nodes each.
  if (Seq < 0 || Seq >= (int64_t(1) << 26) || ForwardTid >= 256)
    return;
  RecorderLock L;
  Recorder &R = recorder();
  if (R.Executed.size() <= ForwardTid)
    R.Executed.resize(ForwardTid + 1);
  std::vector<uint64_t> &Bits = R.Executed[ForwardTid];
  size_t Word = static_cast<size_t>(Seq) / 64;
  if (Bits.size() <= Word)
    Bits.resize(std::max(Word + 1, Bits.size() * 2), 0);
  Bits[Word] |= 1ull << (Seq % 64);
}

SiteStats &siteLocked(const SiteKey &K) { return recorder().Sites[K]; }

/// A `copy_(dst, src, non_blocking)` between devices marks Target.
void classifyCopy(OpFrame &Target, const at::Tensor &Dst, const at::Tensor &Src,
                  bool NonBlocking) {
  if (Dst.device() == Src.device())
    return;
  bool SrcHost = Src.device().is_cpu(), DstHost = Dst.device().is_cpu();
  uint32_t Kind;
  if (SrcHost && !DstHost) {
    bool Pinned = isPinned(Src);
    Kind = NonBlocking && Pinned ? FlagCopyH2DAsync : FlagCopyH2D;
    if (Pinned)
      Target.Flags |= FlagPinned;
  } else if (!SrcHost && DstHost) {
    Kind = FlagCopyD2H;
  } else {
    Kind = FlagCopyD2D;
  }
  Target.Flags |= Kind | (NonBlocking ? FlagNonBlocking : 0);
  if (!(Target.Flags & FlagMove)) {
    Target.Bytes += bytesOf(Src);
    Target.Src = deviceOf(Src);
    Target.Dst = deviceOf(Dst);
  }
}

/// What a call does that makes its top-level call a sync or a transfer,
/// whether it is the top-level call itself or nested in it.
void classifyWork(OpFrame &Target, uint16_t Op,
                  c10::ArrayRef<const c10::IValue> In) {
  if (Op == Known.LocalScalarDense) {
    if (const at::Tensor *T = tensorAt(In, 0)) {
      Target.Flags |= FlagItem;
      if (!(Target.Flags & FlagMove)) {
        Target.Src = deviceOf(*T);
        Target.Dst = static_cast<int8_t>(c10::DeviceType::CPU);
        Target.Bytes += T->itemsize();
      }
    }
  } else if (Op == Known.Copy) {
    const at::Tensor *Dst = tensorAt(In, 0), *Src = tensorAt(In, 1);
    if (Dst && Src)
      classifyCopy(Target, *Dst, *Src,
                   In.size() > 2 && In[2].isBool() && In[2].toBool());
  } else if (Op == Known.Nonzero || Op == Known.MaskedSelect ||
             Op == Known.Unique || Op == Known.Unique2 ||
             Op == Known.UniqueDim || Op == Known.UniqueConsecutive) {
    Target.Flags |= FlagShapeSync;
  } else {
    for (const ModeOp &M : ModeOps)
      if (Op == M.Id) {
        Target.Flags |= FlagModeOp;
        if (M.TrainingArg < In.size() && In[M.TrainingArg].isBool() &&
            In[M.TrainingArg].toBool())
          Target.Flags |= FlagTrainingMode;
        break;
      }
  }
}

/// A top-level `to()`: the move request, whether or not data moves.
void classifyMove(OpFrame &F, uint16_t Op,
                  c10::ArrayRef<const c10::IValue> In) {
  const at::Tensor *Self = tensorAt(In, 0);
  if (!Self)
    return;
  int8_t Src = deviceOf(*Self), Dst = Src;
  size_t N = In.size();
  bool FoundDevice = false;
  for (size_t I = 1; I < N; ++I)
    if (In[I].isDevice()) {
      Dst = static_cast<int8_t>(In[I].toDevice().type());
      FoundDevice = true;
      break;
    }
  if (!FoundDevice)
    if (const at::Tensor *Other = tensorAt(In, 1))
      Dst = deviceOf(*Other);
  // The non_blocking argument's position per overload: to.dtype_layout (8
  // arguments) and _to_copy (7) have it 6th, to.device (6) 4th, to.other and
  // to.dtype (5) 3rd.
  size_t NB = Op == Known.ToCopy ? 5 : N == 8 ? 5 : N == 6 ? 3 : N == 5 ? 2 : N;
  if (NB < N && In[NB].isBool() && In[NB].toBool())
    F.Flags |= FlagNonBlocking;
  F.Flags |= FlagMove;
  F.Src = Src;
  F.Dst = Dst;
  F.Bytes = bytesOf(*Self);
  if (Src != Dst && isPinned(*Self))
    F.Flags |= FlagPinned;
}

/// Where a factory's `size` and `dtype` arguments are, per operator: looked
/// up in its schema once (a schema is too costly to copy every call).
/// -1: not known yet; -2: none.
struct FactoryArgs {
  std::atomic<int8_t> Size{-1}, Dtype{-1};
};
FactoryArgs FactoryArgTable[Recorder::MaxOps];

/// The bytes a factory creates, from its sizes and dtype (the default dtype
/// when it names none); 0 when its sizes are no argument (`arange`, `eye`).
uint64_t factoryBytes(const at::RecordFunction &Fn, uint16_t Op,
                      c10::ArrayRef<const c10::IValue> In) {
  FactoryArgs &A = FactoryArgTable[Op];
  int8_t Size = A.Size.load(std::memory_order_relaxed);
  int8_t Dtype = A.Dtype.load(std::memory_order_relaxed);
  if (Size == -1) {
    Size = Dtype = -2;
    if (c10::optional<c10::FunctionSchema> Schema = Fn.operator_schema()) {
      const std::vector<c10::Argument> &Args = Schema->arguments();
      for (size_t I = 0; I < Args.size() && I < 127; ++I) {
        if (Args[I].name() == "size")
          Size = static_cast<int8_t>(I);
        else if (Args[I].name() == "dtype")
          Dtype = static_cast<int8_t>(I);
      }
    }
    A.Dtype.store(Dtype, std::memory_order_relaxed);
    A.Size.store(Size, std::memory_order_relaxed);
  }
  if (Size < 0 || static_cast<size_t>(Size) >= In.size() ||
      !In[Size].isIntList())
    return 0;
  uint64_t Numel = 1;
  for (int64_t D : In[Size].toIntVector())
    Numel *= D > 0 ? static_cast<uint64_t>(D) : 0;
  size_t ItemSize = c10::get_default_dtype().itemsize();
  if (Dtype >= 0 && static_cast<size_t>(Dtype) < In.size() && In[Dtype].isInt())
    ItemSize =
        c10::elementSize(static_cast<c10::ScalarType>(In[Dtype].toInt()));
  return Numel * ItemSize;
}

/// A loss's value read from host memory, without an operator call; NaN for
/// a type a loss is not.
double hostScalar(const at::Tensor &T) {
  const void *P = T.data_ptr();
  switch (T.scalar_type()) {
  case at::kFloat:
    return *static_cast<const float *>(P);
  case at::kDouble:
    return *static_cast<const double *>(P);
  case at::kHalf:
    return static_cast<float>(*static_cast<const c10::Half *>(P));
  case at::kBFloat16:
    return static_cast<float>(*static_cast<const c10::BFloat16 *>(P));
  default:
    return std::numeric_limits<double>::quiet_NaN();
  }
}

// The pinned host buffer device losses are copied into, one float each.
// Never destroyed: freeing pinned memory at exit may come after CUDA's own
// teardown.
constexpr int64_t PinnedLossSlots = 4096;
at::Tensor *PinnedLosses = nullptr;
int64_t PinnedLossesUsed = 0;

/// Records the loss of the backward pass that is starting, adding no sync:
/// a host loss is computed already; a device loss is copied without blocking
/// on the current stream, behind the kernels that compute it.
void noteLoss(const OpFrame &F, const at::Tensor &Loss) {
  LossPoint P{F.Step, F.Stack, std::numeric_limits<double>::quiet_NaN(), -1};
  if (Loss.device().is_cpu()) {
    if (!Loss.is_floating_point() || Loss.layout() != c10::kStrided)
      return;
    P.Value = hostScalar(Loss);
  } else {
    if (!processInfo().CudaAvailable || PinnedLossesUsed >= PinnedLossSlots)
      return;
    if (!PinnedLosses)
      PinnedLosses = new at::Tensor(at::empty(
          {PinnedLossSlots},
          at::TensorOptions().dtype(at::kFloat).pinned_memory(true)));
    PinnedLosses->narrow(0, PinnedLossesUsed, 1)
        .copy_(Loss.detach().reshape({1}), /*non_blocking=*/true);
    P.Pending = static_cast<int32_t>(PinnedLossesUsed++);
  }
  RecorderLock L;
  Recorder &R = recorder();
  if (R.Losses.size() < Recorder::MaxLosses)
    R.Losses.push_back(P);
}

void classifyTop(ThreadData &T, const at::RecordFunction &Fn, OpFrame &F,
                 uint16_t Op, c10::ArrayRef<const c10::IValue> In) {
  (void)T;
  if (Op == Known.To || Op == Known.ToCopy) {
    classifyMove(F, Op, In);
  } else if (Op == Known.Cat || Op == Known.Concat || Op == Known.Concatenate) {
    if (!In.empty() && In[0].isTensorList()) {
      uint64_t Bytes = 0;
      c10::List<at::Tensor> Parts = In[0].toTensorList();
      for (size_t I = 0; I < Parts.size(); ++I) {
        at::Tensor Part = Parts.get(I);
        if (Part.defined())
          Bytes += bytesOf(Part);
      }
      F.Flags |= FlagCat;
      F.Bytes = Bytes;
    }
  } else if (Op == Known.Zero || Op == Known.Fill) {
    if (const at::Tensor *Self = tensorAt(In, 0)) {
      F.Flags |= FlagZero;
      RecorderLock L;
      recorder().Zeroed.set(storageOf(*Self), 1);
    }
  } else if (Op == Known.OnesLike) {
    // backward() making the gradient of its scalar: the loss.
    if (const at::Tensor *Loss = tensorAt(In, 0))
      if (Loss->requires_grad() && Loss->numel() == 1)
        noteLoss(F, *Loss);
  }
  // A factory takes sizes and options, never a tensor.
  bool AnyTensor = false;
  for (const c10::IValue &V : In)
    if (V.isTensor() || V.isTensorList()) {
      AnyTensor = true;
      break;
    }
  if (!AnyTensor && !In.empty()) {
    F.Flags |= FlagFactory;
    F.Bytes = factoryBytes(Fn, Op, In);
  }
  classifyWork(F, Op, In);
}

/// An operator nested in AccumulateGrad: it writes a parameter's gradient.
void onAccumulateGradOp(ThreadData &T, const char *Name,
                        c10::ArrayRef<const c10::IValue> In) {
  uint16_t Op = internOp(T, Name);
  bool Accumulates = Op == Known.AddInplace || Op == Known.Add;
  if (!Accumulates && Op != Known.Detach)
    return;
  const at::Tensor *Grad = tensorAt(In, 0);
  if (!Grad)
    return;
  uintptr_t Storage = storageOf(*Grad);
  RecorderLock L;
  Recorder &R = recorder();
  uint32_t Step = static_cast<uint32_t>(CurrentStep.load());
  if (Accumulates) {
    uint32_t *Last = R.LastWritten.find(Storage);
    // Written by a backward pass of an earlier step, and neither zeroed nor
    // replaced since: the gradient carries over into this step.
    if (Last && *Last < Step && !R.Zeroed.find(Storage)) {
      ++stepLocked(static_cast<int32_t>(Step)).GradsNotCleared;
      SiteKey K;
      K.Stack = BackwardStack.load();
      K.Op = Known.GradNotCleared;
      K.Flags = FlagGradNotCleared;
      K.Thread = T.Index;
      Tally &S =
          tallyLocked(siteLocked(K), K.Flags, static_cast<int32_t>(Step));
      ++S.Count;
      S.addBytes(bytesOf(*Grad));
    }
  }
  // AccumulateGrad's `detach` is the new gradient being stolen into `.grad`.
  R.LastWritten.set(Storage, Step);
}

/// A top-level record of the autograd engine.
void onBackwardRecord(ThreadData &T, OpFrame &F) {
  F.Flags = FlagBackward;
  F.Op = Known.Backward;
  if (CurrentPhase.load() != PhaseBackward) {
    uint32_t Stack = captureStack(T, reinterpret_cast<uintptr_t>(&Known));
    RecorderLock L;
    if (CurrentPhase.load() != PhaseBackward) {
      CurrentPhase.store(PhaseBackward);
      Armed.store(true);
      ++recorder().BackwardPasses;
      endEvaluationLocked();
      BackwardStack.store(Stack);
      unsigned Graph = GraphThread.load();
      TrainingThread.store(Graph ? Graph : T.Index);
      F.FirstOfPass = true;
    }
  }
  F.Stack = BackwardStack.load();
  F.Step = CurrentStep.load();
}

void startCall(ThreadData &T, const at::RecordFunction &Fn) {
  unsigned D = T.Depth++;
  if (D >= MaxDepth) {
    __atomic_fetch_add(&recorder().TooDeep, 1, __ATOMIC_RELAXED);
    return;
  }
  OpFrame &F = T.Frames[D];
  OpFrame *Parent = D ? &T.Frames[D - 1] : nullptr;
  F.Fn = &Fn;
  F.StartNs = F.GapNs = F.Bytes = 0;
  F.SeqBegin = -1;
  F.Flags = 0;
  F.Stack = 0;
  F.Op = 0;
  F.Src = F.Dst = -1;
  F.Top = D == 0;
  F.Step = 0;
  F.FirstOfPass = false;
  at::RecordScope Scope = Fn.scope();
  const char *Name = Fn.name();
  if (!Name)
    Name = "";
  bool Backward = Scope == at::RecordScope::BACKWARD_FUNCTION;
  F.Engine = Backward || (Parent && Parent->Engine) ||
             startsWith(Name, "autograd::engine::evaluate_function");
  F.AccumulateGrad =
      Backward && std::strcmp(Name, "torch::autograd::AccumulateGrad") == 0;
  if (Backward)
    noteNodeExecuted(Fn.forwardThreadId(), Fn.seqNr());
  c10::ArrayRef<const c10::IValue> In;
  if (Fn.needsInputs())
    In = Fn.inputs();
  if (F.Engine) {
    if (F.Top) {
      onBackwardRecord(T, F);
      F.StartNs = nowNs();
    } else if (Parent->AccumulateGrad) {
      onAccumulateGradOp(T, Name, In);
    }
    return;
  }
  uint16_t Op = internOp(T, Name);
  F.Op = Op;
  if (!F.Top) {
    classifyWork(T.Frames[0], Op, In);
    return;
  }
  bool Grad = c10::GradMode::is_enabled();
  stepTransition(T, Grad);
  F.Step = CurrentStep.load();
  if (Grad)
    F.Flags |= FlagGradMode;
  if (CurrentPhase.load(std::memory_order_relaxed) == PhaseOptimizer)
    F.Flags |= FlagOptimizer;
  F.Stack = captureStack(T, reinterpret_cast<uintptr_t>(Name));
  F.SeqBegin = Fn.seqNr();
  classifyTop(T, Fn, F, Op, In);
  F.StartNs = nowNs();
  F.GapNs = T.LastEndNs ? F.StartNs - T.LastEndNs : 0;
}

void endCall(ThreadData &T, const at::RecordFunction &Fn) {
  if (!T.Depth)
    return;
  if (T.Depth > MaxDepth) {
    --T.Depth;
    return;
  }
  // Calls end in the order they started on a thread; an end that matches no
  // call in progress here started elsewhere (an asynchronous record) and is
  // ignored.
  unsigned D = T.Depth - 1;
  while (T.Frames[D].Fn != &Fn) {
    if (!D)
      return;
    --D;
  }
  T.Depth = D;
  OpFrame &F = T.Frames[D];
  if (!F.Top)
    return;
  uint64_t End = nowNs();
  uint64_t Dur = End - F.StartNs;
  T.LastEndNs = End;
  Recorder &R = recorder();
  if (F.Engine) {
    RecorderLock L;
    StepRecord &S = stepLocked(F.Step);
    S.BackwardNs += Dur;
    if (T.Index == S.Thread)
      S.OpNs += Dur;
    SiteKey K;
    K.Stack = F.Stack;
    K.Op = F.Op;
    K.Flags = F.Flags;
    K.Thread = T.Index;
    Tally &Site = tallyLocked(siteLocked(K), K.Flags, F.Step);
    Site.Count += F.FirstOfPass ? 1 : 0;
    Site.Ns += Dur;
    return;
  }
  uint64_t Nodes = 0;
  if ((F.Flags & FlagGradMode) && F.SeqBegin >= 0) {
    uint64_t After = at::sequence_number::peek();
    if (After > static_cast<uint64_t>(F.SeqBegin))
      Nodes = After - static_cast<uint64_t>(F.SeqBegin);
  }
  if (Nodes)
    GraphThread.store(T.Index, std::memory_order_relaxed);
  uint64_t Tid = Nodes ? at::RecordFunction::currentThreadId() : 0;
  RecorderLock L;
  if (!Observing.load(std::memory_order_relaxed))
    return;
  SiteKey K;
  K.Stack = F.Stack;
  K.Op = F.Op;
  K.Flags = F.Flags;
  K.Thread = T.Index;
  K.Src = F.Src;
  K.Dst = F.Dst;
  SiteStats &Site = siteLocked(K);
  Tally &S = tallyLocked(Site, K.Flags, F.Step);
  ++S.Count;
  S.Ns += Dur;
  S.GapNs += F.GapNs;
  if (F.Flags & (FlagMove | FlagCat | FlagItem | FlagCopyD2H | FlagCopyH2D |
                 FlagCopyH2DAsync | FlagCopyD2D | FlagFactory))
    S.addBytes(F.Bytes);
  // A forward call: it built a graph, or ran a dropout or batch norm in
  // training mode where no graph can be (grad mode off).
  if (Nodes || ((F.Flags & FlagTrainingMode) && !(F.Flags & FlagGradMode)))
    noteForwardLocked(uint64_t(F.Stack) << 16 | F.Op);
  if (Nodes) {
    S.Nodes += Nodes;
    if (R.Ranges.size() < (1u << 22))
      R.Ranges.push_back({&Site, F.Step, static_cast<uint64_t>(F.SeqBegin),
                          static_cast<uint32_t>(Nodes),
                          static_cast<uint32_t>(Tid)});
    else
      R.RangesOverflow = true;
  }
  StepRecord &Step = stepLocked(F.Step);
  if (!Step.Thread)
    Step.Thread = T.Index;
  if (T.Index == Step.Thread) {
    Step.OpNs += Dur;
    if (F.Flags & SyncFlags)
      Step.SyncNs += Dur;
    ++Step.Ops;
  } else {
    Step.OtherThreadOpNs += Dur;
  }
  ++R.TopLevelOps;
}

std::unique_ptr<at::ObserverContext> onStart(const at::RecordFunction &Fn) {
  if (!Observing.load(std::memory_order_relaxed))
    return nullptr;
  ThreadData *T = threadData();
  if (!T || T->InCallback)
    return nullptr;
  T->InCallback = true;
#ifdef TRAINLINT_RUNTIME_CUDA
  if (!T->CudaReady) {
    T->CudaReady = true;
    cudaOnThread();
  }
#endif
  try {
    startCall(*T, Fn);
  } catch (...) {
    // Nothing may escape into libtorch; a call we could not classify is
    // still counted as an error.
    __atomic_fetch_add(&recorder().CallbackErrors, 1, __ATOMIC_RELAXED);
  }
  T->InCallback = false;
  return nullptr;
}

void onEnd(const at::RecordFunction &Fn, at::ObserverContext *) {
  if (!Observing.load(std::memory_order_relaxed))
    return;
  ThreadData *T = threadData();
  if (!T || T->InCallback)
    return;
  T->InCallback = true;
  try {
    endCall(*T, Fn);
  } catch (...) {
    __atomic_fetch_add(&recorder().CallbackErrors, 1, __ATOMIC_RELAXED);
  }
  T->InCallback = false;
}

} // namespace

/// Records a synchronization that CUDA's sync-debug mode reported on this
/// thread: it marks the call in progress, or stands alone when there is none.
void noteSyncReport() {
  ThreadData *T = threadData();
  if (!T)
    return;
  if (T->Depth && T->Depth <= MaxDepth) {
    T->Frames[0].Flags |= FlagSyncDebug;
    return;
  }
  bool Was = T->InCallback;
  T->InCallback = true;
  uint32_t Stack =
      captureStack(*T, reinterpret_cast<uintptr_t>(&Known.SyncReport));
  {
    RecorderLock L;
    SiteKey K;
    K.Stack = Stack;
    K.Op = Known.SyncReport;
    K.Flags = FlagSyncDebug;
    K.Thread = T->Index;
    ++tallyLocked(siteLocked(K), K.Flags, CurrentStep.load()).Count;
    ++recorder().LooseSyncReports;
  }
  T->InCallback = Was;
}

/// Records a call of the CUDA runtime's allocator made by the program's own
/// code, at its stack, in the current step.
void noteCudaAllocCall(unsigned Call, uint64_t Bytes) {
  if (!Observing.load(std::memory_order_relaxed) || Call >= NumCudaAllocCalls)
    return;
  ThreadData *T = threadData();
  // Inside an operator the call is libtorch's own (its caching allocator
  // missing its cache), not the user's; inside a callback it is ours.
  if (!T || T->InCallback || T->Depth)
    return;
  T->InCallback = true;
  uint32_t Stack =
      captureStack(*T, reinterpret_cast<uintptr_t>(&Known.CudaApi[Call]));
  {
    RecorderLock L;
    SiteKey K;
    K.Stack = Stack;
    K.Op = Known.CudaApi[Call];
    K.Flags = FlagCudaAlloc;
    K.Thread = T->Index;
    Tally &S = tallyLocked(siteLocked(K), K.Flags, CurrentStep.load());
    ++S.Count;
    S.addBytes(Bytes);
  }
  T->InCallback = false;
}

void registerObserver() {
  Known.LocalScalarDense = internAtInit("aten::_local_scalar_dense");
  Known.Copy = internAtInit("aten::copy_");
  Known.To = internAtInit("aten::to");
  Known.ToCopy = internAtInit("aten::_to_copy");
  Known.Cat = internAtInit("aten::cat");
  Known.Concat = internAtInit("aten::concat");
  Known.Concatenate = internAtInit("aten::concatenate");
  Known.Nonzero = internAtInit("aten::nonzero");
  Known.MaskedSelect = internAtInit("aten::masked_select");
  Known.Unique = internAtInit("aten::_unique");
  Known.Unique2 = internAtInit("aten::_unique2");
  Known.UniqueDim = internAtInit("aten::unique_dim");
  Known.UniqueConsecutive = internAtInit("aten::unique_consecutive");
  Known.Zero = internAtInit("aten::zero_");
  Known.Fill = internAtInit("aten::fill_");
  Known.AddInplace = internAtInit("aten::add_");
  Known.Add = internAtInit("aten::add");
  Known.Detach = internAtInit("aten::detach");
  Known.Backward = internAtInit("trainlint::backward");
  Known.GradNotCleared = internAtInit("trainlint::grad_not_cleared");
  Known.SyncReport = internAtInit("trainlint::sync_report");
  Known.OnesLike = internAtInit("aten::ones_like");
  for (ModeOp &M : ModeOps)
    M.Id = internAtInit(M.Name);
  recorder().Losses.reserve(1024);
  for (unsigned I = 0; I < NumCudaAllocCalls; ++I)
    Known.CudaApi[I] = internAtInit(cudaAllocCallName(I));
  {
    RecorderLock L;
    StepRecord First;
    First.StartNs = processInfo().StartNs;
    recorder().Steps.push_back(First);
  }
  Observing.store(true);
  at::addGlobalCallback(
      at::RecordFunctionCallback(onStart, onEnd).needsInputs(true));
}

void stopObserving() { Observing.store(false); }
bool isObserving() { return Observing.load(); }

/// The step index data is being recorded into, for the data file.
int32_t currentStep() { return CurrentStep.load(); }

void resolveNodesLocked() {
  Recorder &R = recorder();
  // Called after closeSitesLocked: the tail, if any, is the last step.
  int32_t Last = static_cast<int32_t>(R.Steps.size()) - 1;
  for (const NodeRange &Range : R.Ranges) {
    if (Range.Tid >= R.Executed.size())
      continue;
    const std::vector<uint64_t> &Bits = R.Executed[Range.Tid];
    uint64_t Ran = 0;
    for (uint64_t Seq = Range.Begin; Seq < Range.Begin + Range.Count; ++Seq)
      if (Seq / 64 < Bits.size() && (Bits[Seq / 64] >> (Seq % 64) & 1))
        ++Ran;
    SiteStats &Site = *Range.Site;
    uint64_t Stop = config().StopAfterSteps;
    bool AfterMeasured = Stop && static_cast<uint64_t>(Range.Step) > Stop;
    Tally &Part = Range.Step == 0 ? Site.Setup
                  : AfterMeasured || (Range.Step == Last && Site.Tail.Count)
                      ? Site.Tail
                      : Site.Measured;
    Part.NodesBackwarded += Ran;
  }
  R.Ranges.clear();
}

void resolveLossesLocked(bool MayWait) {
  Recorder &R = recorder();
  if (!PinnedLosses)
    return;
#ifdef TRAINLINT_RUNTIME_CUDA
  if (MayWait)
    cudaFinishCopies();
#endif
  const float *Values = PinnedLosses->data_ptr<float>();
  for (LossPoint &P : R.Losses)
    if (P.Pending >= 0 && MayWait) {
      P.Value = Values[P.Pending];
      P.Pending = -1;
    }
}

/// After fork, the child starts its own record: empty tables, step 0.
void resetAfterFork() {
  Recorder &R = recorder();
  R.Sites.clear();
  R.Steps.clear();
  StepRecord First;
  First.StartNs = nowNs();
  R.Steps.push_back(First);
  R.Ranges.clear();
  R.Executed.clear();
  R.Zeroed.clear();
  R.LastWritten.clear();
  R.Losses.clear();
  R.Evaluation = EvaluationState();
  // The parent's copies are not the child's to read.
  PinnedLosses = nullptr;
  PinnedLossesUsed = 0;
  StopAtNextCall.store(false);
  R.BackwardPasses = R.OptimizerSteps = R.TopLevelOps = 0;
  CurrentStep.store(0);
  GraphThread.store(0);
  TrainingThread.store(0);
  CurrentPhase.store(PhaseIdle);
  Armed.store(false);
  StopRequested.store(false);
}

} // namespace runtime
} // namespace trainlint
