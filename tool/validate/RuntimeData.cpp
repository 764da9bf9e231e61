//===--- RuntimeData.cpp - reading the runtime's data file ----------------===//

#include "validate/RuntimeData.h"
#include "llvm/Support/JSON.h"
#include <algorithm>
#include <limits>

namespace trainlint {
namespace validate {

void Tally::add(const Tally &O) {
  if (!O.Count && !O.Ns && !O.Nodes)
    return;
  MinBytes = Count ? std::min(MinBytes, O.MinBytes) : O.MinBytes;
  Count += O.Count;
  Ns += O.Ns;
  GapNs += O.GapNs;
  Bytes += O.Bytes;
  MaxBytes = std::max(MaxBytes, O.MaxBytes);
  Nodes += O.Nodes;
  NodesBackwarded += O.NodesBackwarded;
}

Tally Site::all() const {
  Tally T = Setup;
  T.add(Measured);
  T.add(Tail);
  return T;
}

namespace {


uint64_t u64(const llvm::json::Object *O, llvm::StringRef Key) {
  if (!O)
    return 0;
  if (auto V = O->getInteger(Key))
    return static_cast<uint64_t>(*V);
  if (const llvm::json::Value *V = O->get(Key))
    if (auto D = V->getAsNumber())
      return static_cast<uint64_t>(*D);
  return 0;
}

std::string str(const llvm::json::Object *O, llvm::StringRef Key) {
  if (!O)
    return "";
  if (auto S = O->getString(Key))
    return S->str();
  return "";
}

bool boolean(const llvm::json::Object *O, llvm::StringRef Key) {
  if (!O)
    return false;
  return O->getBoolean(Key).value_or(false);
}

uint64_t hexAddress(const llvm::json::Value &V) {
  uint64_t Result = 0;
  if (auto S = V.getAsString()) {
    llvm::StringRef Text = *S;
    Text.consume_front("0x");
    if (Text.getAsInteger(16, Result))
      return 0;
  } else if (auto I = V.getAsUINT64()) {
    Result = *I;
  }
  return Result;
}

/// A loss: a number, or "nan", "inf" or "-inf" (JSON has no such numbers).
double lossValue(const llvm::json::Value *V) {
  if (!V)
    return std::numeric_limits<double>::quiet_NaN();
  if (auto D = V->getAsNumber())
    return *D;
  llvm::StringRef Text = V->getAsString().value_or("nan");
  if (Text == "inf")
    return std::numeric_limits<double>::infinity();
  if (Text == "-inf")
    return -std::numeric_limits<double>::infinity();
  return std::numeric_limits<double>::quiet_NaN();
}

/// A stack: an array of addresses.
std::vector<uint64_t> addresses(const llvm::json::Value &V) {
  std::vector<uint64_t> Frames;
  if (const llvm::json::Array *A = V.getAsArray())
    for (const llvm::json::Value &F : *A)
      Frames.push_back(hexAddress(F));
  return Frames;
}

Tally tally(const llvm::json::Object *O) {
  Tally T;
  T.Count = u64(O, "count");
  T.Ns = u64(O, "ns");
  T.GapNs = u64(O, "gap_ns");
  T.Bytes = u64(O, "bytes");
  T.MinBytes = u64(O, "min_bytes");
  T.MaxBytes = u64(O, "max_bytes");
  T.Nodes = u64(O, "nodes");
  T.NodesBackwarded = u64(O, "nodes_backwarded");
  return T;
}

} // namespace

uint32_t flagFromName(llvm::StringRef Name) {
  for (const auto &[Text, Bit] : SiteFlagNames)
    if (Name == Text)
      return Bit;
  return 0;
}

std::string flagNames(uint32_t Flags) {
  std::string Out;
  for (const auto &[Text, Bit] : SiteFlagNames)
    if (Flags & Bit) {
      if (!Out.empty())
        Out += ", ";
      Out += Text;
    }
  return Out;
}

std::vector<const StepRecord *> RuntimeData::measuredSteps() const {
  std::vector<const StepRecord *> Out;
  for (const StepRecord &S : Steps)
    if (S.Index >= 1 && S.Complete &&
        (!StopAfterSteps || S.Index <= StopAfterSteps))
      Out.push_back(&S);
  return Out;
}

llvm::Expected<RuntimeData> parseRuntimeData(llvm::StringRef Text,
                                             llvm::StringRef Name) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Name + ": " + Why);
  };
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Text);
  if (!Parsed)
    return Fail("not JSON: " + llvm::toString(Parsed.takeError()));
  const llvm::json::Object *Root = Parsed->getAsObject();
  if (!Root || str(Root, "format") != "trainlint-runtime")
    return Fail("not a trainlint runtime data file");
  if (u64(Root, "version") != 1)
    return Fail("unsupported runtime data version " +
                llvm::Twine(u64(Root, "version")));
  RuntimeData D;
  D.Pid = static_cast<int>(u64(Root, "pid"));
  D.ParentPid = static_cast<int>(u64(Root, "parent_pid"));
  D.RootPid = static_cast<int>(u64(Root, "root_pid"));
  D.ForkedChild = boolean(Root, "forked_child");
  const llvm::json::Object *Torch = Root->getObject("torch");
  D.TorchBuilt = str(Torch, "built");
  D.TorchLoaded = str(Torch, "loaded");
  D.CudaBuild = boolean(Torch, "cuda_build");
  D.CudaAvailable = boolean(Torch, "cuda_available");
  D.RuntimeCuda = boolean(Torch, "runtime_cuda");
  const llvm::json::Object *Config = Root->getObject("config");
  D.StopAfterSteps = u64(Config, "stop_after_steps");
  D.StepOn = str(Config, "step_on");
  D.EvalBatches = u64(Config, "eval_batches");
  const llvm::json::Object *End = Root->getObject("end");
  D.EndReason = str(End, "reason");
  D.Signal = static_cast<int>(u64(End, "signal"));
  D.SignalName = str(End, "signal_name");
  D.Message = str(Root, "message");
  const llvm::json::Object *Time = Root->getObject("time");
  D.StartNs = u64(Time, "start_ns");
  D.EndNs = u64(Time, "end_ns");
  D.TablesComplete = boolean(Root, "tables_complete");
  const llvm::json::Object *Counts = Root->getObject("counts");
  D.BackwardPasses = u64(Counts, "backward_passes");
  D.OptimizerSteps = u64(Counts, "optimizer_steps");
  D.TopLevelOps = u64(Counts, "top_level_ops");
  D.Unwinds = u64(Counts, "unwinds");
  D.StackCacheHits = u64(Counts, "stack_cache_hits");
  D.CallbackErrors = u64(Counts, "callback_errors");

  if (const llvm::json::Array *Steps = Root->getArray("steps"))
    for (const llvm::json::Value &V : *Steps) {
      const llvm::json::Object *O = V.getAsObject();
      if (!O)
        continue;
      StepRecord S;
      S.Index = u64(O, "index");
      S.Complete = boolean(O, "complete");
      S.StartNs = u64(O, "start_ns");
      S.EndNs = u64(O, "end_ns");
      S.OpNs = u64(O, "op_ns");
      S.SyncNs = u64(O, "sync_ns");
      S.BackwardNs = u64(O, "backward_ns");
      S.OtherThreadsOpNs = u64(O, "other_threads_op_ns");
      S.Ops = u64(O, "ops");
      S.GradsNotCleared = u64(O, "grads_not_cleared");
      S.Thread = static_cast<unsigned>(u64(O, "thread"));
      D.Steps.push_back(S);
    }
  if (const llvm::json::Array *Modules = Root->getArray("modules"))
    for (const llvm::json::Value &V : *Modules) {
      const llvm::json::Object *O = V.getAsObject();
      if (!O)
        continue;
      Module M;
      M.Path = str(O, "path");
      if (const llvm::json::Value *Bias = O->get("bias"))
        M.Bias = hexAddress(*Bias);
      if (const llvm::json::Array *Ranges = O->getArray("ranges"))
        for (const llvm::json::Value &R : *Ranges)
          if (const llvm::json::Array *Pair = R.getAsArray())
            if (Pair->size() == 2)
              M.Ranges.push_back(
                  {hexAddress((*Pair)[0]), hexAddress((*Pair)[1])});
      D.Modules.push_back(std::move(M));
    }
  if (const llvm::json::Array *Ops = Root->getArray("ops"))
    for (const llvm::json::Value &V : *Ops)
      D.Ops.push_back(V.getAsString() ? V.getAsString()->str() : "");
  if (const llvm::json::Array *Stacks = Root->getArray("stacks"))
    for (const llvm::json::Value &V : *Stacks)
      D.Stacks.push_back(addresses(V));
  if (const llvm::json::Array *Sites = Root->getArray("sites"))
    for (const llvm::json::Value &V : *Sites) {
      const llvm::json::Object *O = V.getAsObject();
      if (!O)
        continue;
      Site S;
      S.Stack = static_cast<unsigned>(u64(O, "stack"));
      S.Op = static_cast<unsigned>(u64(O, "op"));
      S.Thread = static_cast<unsigned>(u64(O, "thread"));
      if (const llvm::json::Array *Flags = O->getArray("flags"))
        for (const llvm::json::Value &F : *Flags)
          if (auto Name = F.getAsString())
            S.Flags |= flagFromName(*Name);
      S.Src = str(O, "src");
      S.Dst = str(O, "dst");
      S.StepsSeen = u64(O, "steps_seen");
      S.Setup = tally(O->getObject("setup"));
      S.Measured = tally(O->getObject("measured"));
      S.Tail = tally(O->getObject("tail"));
      if (const llvm::json::Array *Series = O->getArray("series"))
        for (const llvm::json::Value &P : *Series)
          if (const llvm::json::Object *PO = P.getAsObject()) {
            SeriesPoint Point;
            Point.Step = static_cast<int64_t>(u64(PO, "step"));
            Point.Count = u64(PO, "count");
            Point.Bytes = u64(PO, "bytes");
            Point.MaxBytes = u64(PO, "max_bytes");
            S.Series.push_back(Point);
          }
      if (S.Stack >= D.Stacks.size() && !D.Stacks.empty())
        return Fail("site refers to stack " + llvm::Twine(S.Stack) + " of " +
                    llvm::Twine(D.Stacks.size()));
      D.Sites.push_back(std::move(S));
    }
  if (const llvm::json::Array *Losses = Root->getArray("losses"))
    for (const llvm::json::Value &V : *Losses)
      if (const llvm::json::Object *O = V.getAsObject()) {
        LossValue L;
        L.Step = static_cast<int64_t>(u64(O, "step"));
        L.Stack = static_cast<unsigned>(u64(O, "stack"));
        L.Value = lossValue(O->get("value"));
        D.Losses.push_back(L);
      }
  if (const llvm::json::Object *E = Root->getObject("evaluation")) {
    D.Evaluation.Batches = u64(E, "batches");
    D.Evaluation.Phases = u64(E, "phases");
    D.Evaluation.Waited = boolean(E, "waited");
    D.Evaluation.StoppedBy = str(E, "stopped_by");
  }
  if (const llvm::json::Object *S = Root->getObject("sampling")) {
    D.Samples.PeriodNs = u64(S, "period_ns");
    D.Samples.Samples = u64(S, "samples");
    D.Samples.Dropped = u64(S, "dropped");
    // The sampled stacks join the operators' stacks, so that one table is
    // symbolized and matched.
    size_t First = D.Stacks.size(), NumSampled = 0;
    if (const llvm::json::Array *Stacks = S->getArray("stacks"))
      for (const llvm::json::Value &V : *Stacks) {
        D.Stacks.push_back(addresses(V));
        ++NumSampled;
      }
    if (const llvm::json::Array *Counts = S->getArray("counts"))
      for (const llvm::json::Value &V : *Counts)
        if (const llvm::json::Object *O = V.getAsObject()) {
          SampleCount C;
          uint64_t Stack = u64(O, "stack");
          if (Stack >= NumSampled)
            return Fail("a sample refers to sampled stack " +
                        llvm::Twine(Stack) + " of " + llvm::Twine(NumSampled));
          C.Stack = static_cast<unsigned>(First + Stack);
          C.Step = static_cast<int64_t>(u64(O, "step"));
          C.Count = u64(O, "count");
          C.InOperator = u64(O, "in_operator");
          D.Samples.Counts.push_back(C);
        }
  }
  if (const llvm::json::Array *Device = Root->getArray("device_step_ns"))
    for (const llvm::json::Value &V : *Device)
      if (const llvm::json::Object *O = V.getAsObject())
        D.DeviceStepNs.push_back(
            {static_cast<int64_t>(u64(O, "step")), u64(O, "ns")});
  return D;
}

} // namespace validate
} // namespace trainlint
