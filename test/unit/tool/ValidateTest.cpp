//===--- ValidateTest.cpp - `trainlint validate` without a program --------===//
//
// The validator's judgement on hand-made runtime data and frames: the
// statuses, the CPU stand-ins, matching by function, the signals, the data
// file reader, and the reports' shape. The lit tests under test/runtime run
// real programs.
//
//===----------------------------------------------------------------------===//

#include "validate/ReportWriter.h"
#include "validate/RuntimeData.h"
#include "validate/Validation.h"
#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"
#include <cmath>
#include <limits>
#include <map>

using namespace trainlint;
using namespace trainlint::validate;

namespace {

const char *const File = "/src/project/train.cpp";

SourceFrame frame(unsigned Line, const char *Function = "main",
                  const char *Path = File) {
  SourceFrame F;
  F.File = Line ? Path : "";
  F.Line = Line;
  F.Function = Function;
  F.Module = "/src/build/train";
  return F;
}

Finding finding(const char *Check, unsigned Line) {
  Finding F;
  F.Check = Check;
  F.Message = "a message with <markup> & quotes \"";
  F.Where.File = File;
  F.Where.Line = Line;
  F.Where.Column = 3;
  return F;
}

Tally tally(uint64_t Count, uint64_t Ns = 1000, uint64_t Bytes = 0) {
  Tally T;
  T.Count = Count;
  T.Ns = Ns;
  T.Bytes = Bytes;
  T.MinBytes = T.MaxBytes = Count ? Bytes / Count : 0;
  return T;
}

/// A run of two measured steps (plus the unmeasured first one and an empty
/// last one) whose stacks are described by Frames.
struct FakeRun {
  RuntimeData Data;
  std::map<unsigned, SourceStack> Frames;

  FakeRun() {
    Data.EndReason = "steps-reached";
    Data.TablesComplete = true;
    Data.TopLevelOps = 100;
    Data.BackwardPasses = Data.OptimizerSteps = 3;
    for (uint64_t I = 0; I < 4; ++I) {
      StepRecord S;
      S.Index = I;
      S.Complete = I < 3;
      S.StartNs = 1000000 * I;
      S.EndNs = 1000000 * (I + 1);
      S.OpNs = 600000;
      S.SyncNs = 100000;
      Data.Steps.push_back(S);
    }
    Data.Ops = {"aten::item", "aten::to", "aten::copy_", "aten::cat",
                "aten::addmm"};
  }

  /// Replaces the steps with \p N measured ones of 1 ms each (plus the
  /// unmeasured first one and an empty last one).
  void measure(uint64_t N) {
    Data.Steps.clear();
    for (uint64_t I = 0; I < N + 2; ++I) {
      StepRecord S;
      S.Index = I;
      S.Complete = I <= N;
      S.StartNs = 1000000 * I;
      S.EndNs = 1000000 * (I + 1);
      S.OpNs = 600000;
      Data.Steps.push_back(S);
    }
  }

  /// Adds a site whose stack is the given frames.
  Site &site(unsigned Op, uint32_t Flags, SourceStack Stack) {
    unsigned Id = static_cast<unsigned>(Data.Stacks.size());
    Data.Stacks.push_back({0x1000 + Id});
    Frames[Id] = std::move(Stack);
    Site S;
    S.Stack = Id;
    S.Op = Op;
    S.Flags = Flags;
    S.Src = S.Dst = "cpu";
    Data.Sites.push_back(S);
    return Data.Sites.back();
  }

  Validation judge(const std::vector<Finding> &Findings,
                   FunctionLookup Lookup = nullptr,
                   StatementEndLookup StatementEnd = nullptr) {
    return validateFindings(
        Data, [this](unsigned Id) -> const SourceStack & { return Frames[Id]; },
        Findings, Lookup, StatementEnd);
  }

  /// How the program ran, for the reports: it exited after \p Steps steps.
  RunInfo info(std::vector<std::string> Argv, uint64_t Steps) {
    RunInfo Info;
    Info.Argv = std::move(Argv);
    Info.Exit.How = ProgramExit::Exited;
    Info.StepsRequested = Steps;
    Info.Primary = &Data;
    Info.Processes = {&Data};
    return Info;
  }
};

std::string jsonReport(const RunInfo &Info, const Validation &V) {
  std::string Json;
  llvm::raw_string_ostream OS(Json);
  writeJsonReport(OS, Info, V);
  return Json;
}

std::string htmlReport(const RunInfo &Info, const Validation &V) {
  std::string Html;
  llvm::raw_string_ostream OS(Html);
  writeHtmlReport(OS, Info, V);
  return Html;
}

const FindingResult &resultAt(const Validation &V, llvm::StringRef Check,
                              unsigned Line) {
  for (const FindingResult &R : V.Findings)
    if (R.Source.Check == Check && R.Source.Where.Line == Line)
      return R;
  static FindingResult None;
  ADD_FAILURE() << "no result for " << Check.str() << " at " << Line;
  return None;
}

TEST(ValidateTest, StatusesOnACpuRun) {
  FakeRun Run;
  // item() in the loop, at line 10, inlined from a libtorch header: twice in
  // two measured steps, once before them.
  Site &Item = Run.site(
      0, FlagItem | FlagGradMode,
      {frame(0),
       frame(1519, "at::Tensor::item", "/usr/include/ATen/core/TensorBody.h"),
       frame(10)});
  Item.Measured = tally(2, 4000, 8);
  Item.Setup = tally(1);
  Item.StepsSeen = 2;
  // A move to the device at line 20 that only ran before the first step.
  Site &Setup = Run.site(1, FlagMove, {frame(20)});
  Setup.Setup = tally(1, 500, 1024);
  // Line 30 has a finding and never ran.
  std::vector<Finding> Findings = {
      finding("torch-sync-item", 10), finding("torch-sync-host-to-device", 20),
      finding("torch-sync-item", 30), finding("cuda-sync-in-loop", 10),
      finding("torch-sync-explicit", 10)};
  Validation V = Run.judge(Findings);

  EXPECT_FALSE(V.Gpu);
  EXPECT_EQ(V.Totals.StepsMeasured, 2u);
  EXPECT_DOUBLE_EQ(V.Totals.MeanStepNs, 1e6);
  EXPECT_DOUBLE_EQ(V.Totals.SyncNs, 1e5);
  EXPECT_DOUBLE_EQ(V.Totals.ComputeNs, 5e5);
  EXPECT_DOUBLE_EQ(V.Totals.HostGapNs, 4e5);
  EXPECT_FALSE(V.NeedsGpu.empty());

  const FindingResult &Confirmed = resultAt(V, "torch-sync-item", 10);
  EXPECT_EQ(Confirmed.Result, Status::Confirmed);
  EXPECT_DOUBLE_EQ(Confirmed.Per.Count, 1.0);
  EXPECT_DOUBLE_EQ(Confirmed.Per.Ns, 2000.0);
  EXPECT_DOUBLE_EQ(Confirmed.Per.Bytes, 4.0);
  EXPECT_DOUBLE_EQ(Confirmed.Share, 0.002);
  EXPECT_EQ(Confirmed.Outside.Count, 1u);
  // On the CPU the value is read from host memory: the wait needs a GPU.
  EXPECT_TRUE(Confirmed.NeedsGpu);
  EXPECT_NE(Confirmed.Reason.find("GPU"), std::string::npos);

  const FindingResult &Outside = resultAt(V, "torch-sync-host-to-device", 20);
  EXPECT_EQ(Outside.Result, Status::NotObserved);
  EXPECT_NE(Outside.Reason.find("outside the measured steps"),
            std::string::npos);
  EXPECT_FALSE(Outside.NeedsGpu);

  EXPECT_EQ(resultAt(V, "torch-sync-item", 30).Result, Status::NotExercised);
  EXPECT_EQ(resultAt(V, "cuda-sync-in-loop", 10).Result, Status::NotCheckable);
  // Explicit synchronizations show only in sync-debug reports, on a GPU.
  EXPECT_EQ(resultAt(V, "torch-sync-explicit", 10).Result,
            Status::NotCheckable);
}

TEST(ValidateTest, GpuRunsNeedRealTransfers) {
  FakeRun Run;
  Run.Data.CudaAvailable = true;
  // A blocking copy to the device at line 10.
  Site &Blocking = Run.site(1, FlagMove | FlagCopyH2D, {frame(10)});
  Blocking.Dst = "cuda";
  Blocking.Measured = tally(2, 90000, 2048);
  // A non-blocking copy from pinned memory at line 20: not a sync.
  Site &Async =
      Run.site(1, FlagMove | FlagCopyH2DAsync | FlagPinned | FlagNonBlocking,
               {frame(20)});
  Async.Dst = "cuda";
  Async.Measured = tally(2, 9000, 2048);
  // A tensor already on the device at line 30: to() does nothing.
  Site &Already = Run.site(1, FlagMove, {frame(30)});
  Already.Src = Already.Dst = "cuda";
  Already.Measured = tally(2, 100, 64);
  // item() of a host tensor at line 40: no device involved.
  Site &HostItem = Run.site(0, FlagItem, {frame(40)});
  HostItem.Measured = tally(2);
  Validation V = Run.judge({finding("torch-sync-host-to-device", 10),
                            finding("torch-sync-host-to-device", 20),
                            finding("torch-sync-host-to-device", 30),
                            finding("torch-sync-item", 40)});
  const FindingResult &Real = resultAt(V, "torch-sync-host-to-device", 10);
  EXPECT_EQ(Real.Result, Status::Confirmed);
  EXPECT_FALSE(Real.NeedsGpu);
  EXPECT_DOUBLE_EQ(Real.Per.Bytes, 1024.0);
  const FindingResult &Pinned = resultAt(V, "torch-sync-host-to-device", 20);
  EXPECT_EQ(Pinned.Result, Status::NotObserved);
  EXPECT_NE(Pinned.Reason.find("pinned"), std::string::npos);
  const FindingResult &OnDevice = resultAt(V, "torch-sync-host-to-device", 30);
  EXPECT_EQ(OnDevice.Result, Status::NotObserved);
  EXPECT_NE(OnDevice.Reason.find("already on the cuda"), std::string::npos);
  EXPECT_EQ(resultAt(V, "torch-sync-item", 40).Result, Status::NotObserved);
  EXPECT_TRUE(V.NeedsGpu.empty());
}

TEST(ValidateTest, MatchesByFunctionWithoutLineTables) {
  FakeRun Run;
  // No line tables: the symbol table names the function, nothing more.
  Site &Item = Run.site(0, FlagItem, {frame(0, "trainStep(Model&)")});
  Item.Measured = tally(4);
  Site &Other = Run.site(4, FlagGradMode, {frame(0, "evaluate(Model&)")});
  Other.Measured = tally(2);
  std::vector<std::string> Asked;
  FunctionLookup Lookup = [&](llvm::StringRef Path,
                              unsigned Line) -> std::optional<std::string> {
    Asked.push_back(Path.str() + ":" + std::to_string(Line));
    if (Line == 10)
      return std::string("trainStep");
    if (Line == 20)
      return std::string("validate");
    return std::nullopt;
  };
  Validation V =
      Run.judge({finding("torch-sync-item", 10), finding("torch-sync-item", 20),
                 finding("torch-sync-item", 30)},
                Lookup);
  const FindingResult &ByFunction = resultAt(V, "torch-sync-item", 10);
  EXPECT_EQ(ByFunction.Result, Status::Confirmed);
  EXPECT_TRUE(ByFunction.MatchedByFunction);
  EXPECT_EQ(ByFunction.Function, "trainStep");
  EXPECT_DOUBLE_EQ(ByFunction.Per.Count, 2.0);
  // A function that never ran.
  EXPECT_EQ(resultAt(V, "torch-sync-item", 20).Result, Status::NotExercised);
  // A line whose function is unknown cannot be judged.
  EXPECT_EQ(resultAt(V, "torch-sync-item", 30).Result, Status::NotCheckable);
  EXPECT_EQ(Asked.size(), 3u);
  ASSERT_FALSE(V.Warnings.empty());
  EXPECT_NE(V.Warnings.front().find("no line tables"), std::string::npos);
}

TEST(ValidateTest, RunWithoutStepsCountsPerRun) {
  FakeRun Run;
  for (StepRecord &S : Run.Data.Steps)
    S.Complete = false;
  Run.Data.Steps.resize(1);
  Run.Data.BackwardPasses = Run.Data.OptimizerSteps = 0;
  Site &Repeated = Run.site(0, FlagItem, {frame(10)});
  Repeated.Setup = tally(12);
  Site &Once = Run.site(0, FlagItem, {frame(20)});
  Once.Setup = tally(1);
  Validation V = Run.judge(
      {finding("torch-sync-item", 10), finding("torch-sync-item", 20)});
  EXPECT_EQ(V.Totals.StepsMeasured, 0u);
  const FindingResult &R = resultAt(V, "torch-sync-item", 10);
  EXPECT_EQ(R.Result, Status::Confirmed);
  EXPECT_DOUBLE_EQ(R.Per.Count, 12.0);
  // Once is no pattern.
  EXPECT_EQ(resultAt(V, "torch-sync-item", 20).Result, Status::NotObserved);
  ASSERT_FALSE(V.Warnings.empty());
  EXPECT_NE(V.Warnings.front().find("no training step"), std::string::npos);
}

TEST(ValidateTest, SignalsForChecksToCome) {
  FakeRun Run;
  auto Series = [](std::vector<uint64_t> Sizes) {
    std::vector<SeriesPoint> Out;
    for (size_t I = 0; I < Sizes.size(); ++I)
      Out.push_back({static_cast<int64_t>(I + 1), 1, Sizes[I], Sizes[I]});
    return Out;
  };
  Site &Growing = Run.site(3, FlagCat | FlagGradMode, {frame(10)});
  Growing.Measured = tally(3, 300, 64 + 128 + 192);
  Growing.Series = Series({64, 128, 192});
  // Same sizes every step: a batch built by cat, not a growing tensor.
  Site &Fixed = Run.site(3, FlagCat | FlagGradMode, {frame(20)});
  Fixed.Measured = tally(3, 300, 3 * 64);
  Fixed.Series = Series({64, 64, 64});
  // A model's forward (line 5) run from an evaluation at line 30 with grad
  // mode on, never backpropagated; the same forward from the training at
  // line 40 is.
  Site &Eval = Run.site(4, FlagGradMode, {frame(5, "Net::forward"), frame(30)});
  Eval.Measured = tally(2);
  Eval.Measured.Nodes = 6;
  Site &Train =
      Run.site(4, FlagGradMode, {frame(5, "Net::forward"), frame(40)});
  Train.Measured = tally(2);
  Train.Measured.Nodes = Train.Measured.NodesBackwarded = 6;
  Site &NotCleared = Run.site(0, FlagGradNotCleared, {frame(50, "main")});
  NotCleared.Measured = tally(4, 0, 80);
  Validation V = Run.judge({});
  std::map<std::string, const SignalResult *> ByKind;
  for (const SignalResult &S : V.Signals)
    ByKind[signalKindName(S.Kind).str() + "@" + std::to_string(S.Where.Line) +
           (S.Chain.size() > 1 ? "<-" + std::to_string(S.Chain[1].Line) : "")] =
        &S;
  ASSERT_TRUE(ByKind.count("growing-cat@10"));
  EXPECT_EQ(ByKind["growing-cat@10"]->Detail,
            "output grew from 64 B to 192 B over 3 steps");
  EXPECT_FALSE(ByKind.count("growing-cat@20"));
  ASSERT_TRUE(ByKind.count("grad-without-backward@5<-30"));
  EXPECT_DOUBLE_EQ(ByKind["grad-without-backward@5<-30"]->Per.Count, 3.0);
  EXPECT_FALSE(ByKind.count("grad-without-backward@5<-40"));
  ASSERT_TRUE(ByKind.count("grad-not-cleared@50"));
  EXPECT_DOUBLE_EQ(ByKind["grad-not-cleared@50"]->Per.Count, 2.0);
}

TEST(ValidateTest, FilesAndFunctions) {
  EXPECT_TRUE(sameFile("/a/b/train.cpp", "/a/b/./train.cpp"));
  EXPECT_TRUE(sameFile("/build/x/examples/regression/train.cpp",
                       "/home/me/src/examples/regression/train.cpp"));
  EXPECT_FALSE(sameFile("/src/examples/classifier/train.cpp",
                        "/src/examples/regression/train.cpp"));
  EXPECT_FALSE(sameFile("", "/src/train.cpp"));
  EXPECT_TRUE(isLibraryFile("/usr/include/ATen/core/TensorBody.h"));
  EXPECT_TRUE(isLibraryFile("/opt/libtorch/include/torch/csrc/api/x.h"));
  EXPECT_FALSE(isLibraryFile("/src/project/train.cpp"));

  EXPECT_EQ(baseFunctionName("main"), "main");
  EXPECT_EQ(baseFunctionName("NetImpl::forward(at::Tensor)"), "forward");
  EXPECT_EQ(baseFunctionName("void trainEpoch<Loader<int>>(Classifier&, "
                             "Loader<int>&)"),
            "trainEpoch");
  EXPECT_EQ(baseFunctionName("ns::Holder<int>::~Holder()"), "~Holder");
  EXPECT_EQ(
      baseFunctionName("std::function<void (int)>::operator()(int) const"),
      "operator()");
  EXPECT_EQ(baseFunctionName("Counter::operators_seen(int)"), "operators_seen");
}

TEST(ValidateTest, EnclosingFunctionByBraces) {
  const char *Source = R"cpp(#include <x.h>
struct NetImpl : Module {
  NetImpl() : fc1(make(8, 32)), fc2(make(32, 1)) {
    int A = 1; // {
  }
  Tensor forward(Tensor x) {
    return fc2(x);
  }
};
/* a comment with a brace { */
template <typename Loader>
void trainEpoch(Loader &L) {
  for (auto &B : L) {
    auto F = [&](int X) { return X + 1; };
    const char *S = "}";
    if (B) {
      step();
    }
  }
}
int main() {
  return 0;
}
)cpp";
  EXPECT_EQ(enclosingFunctionName(Source, 4), "NetImpl");
  EXPECT_EQ(enclosingFunctionName(Source, 7), "forward");
  EXPECT_EQ(enclosingFunctionName(Source, 14), "trainEpoch");
  EXPECT_EQ(enclosingFunctionName(Source, 17), "trainEpoch");
  EXPECT_EQ(enclosingFunctionName(Source, 22), "main");
  // Outside any function body.
  EXPECT_EQ(enclosingFunctionName(Source, 2), std::nullopt);
  EXPECT_EQ(enclosingFunctionName(Source, 10), std::nullopt);
}

TEST(ValidateTest, ReadsRuntimeData) {
  const char *Text = R"json({"format":"trainlint-runtime","version":1,
    "pid":12,"parent_pid":1,"root_pid":12,"forked_child":false,
    "torch":{"built":"1.13.0","loaded":"1.13.0","cuda_build":false,
             "cuda_available":false,"runtime_cuda":false},
    "config":{"stop_after_steps":2,"step_on":"optimizer"},
    "end":{"reason":"steps-reached","signal":0,"signal_name":""},
    "time":{"start_ns":5,"end_ns":50},"tables_complete":true,
    "modules":[{"path":"/bin/train","bias":"0x5500","ranges":[["0x6000","0x7000"]]}],
    "counts":{"backward_passes":3,"optimizer_steps":3,"top_level_ops":40},
    "steps":[{"index":0,"complete":true,"start_ns":5,"end_ns":10},
             {"index":1,"complete":true,"start_ns":10,"end_ns":30,"op_ns":15},
             {"index":2,"complete":false,"start_ns":30,"end_ns":31}],
    "ops":["aten::item"],
    "stacks":[["0x6010","0xffffffffffff0000"]],
    "sites":[{"stack":0,"op":0,"thread":1,"flags":["item","grad-mode"],
              "src":"cpu","dst":"cpu","steps_seen":1,
              "setup":{"count":1},"measured":{"count":2,"bytes":8},"tail":{},
              "series":[{"step":1,"count":2,"bytes":8,"max_bytes":4}]}]})json";
  auto D = parseRuntimeData(Text, "data.json");
  ASSERT_TRUE(static_cast<bool>(D)) << llvm::toString(D.takeError());
  EXPECT_EQ(D->Pid, 12);
  EXPECT_EQ(D->EndReason, "steps-reached");
  ASSERT_EQ(D->Modules.size(), 1u);
  EXPECT_EQ(D->Modules[0].Bias, 0x5500u);
  ASSERT_EQ(D->Stacks.size(), 1u);
  EXPECT_EQ(D->Stacks[0][1], 0xffffffffffff0000ull);
  ASSERT_EQ(D->Sites.size(), 1u);
  EXPECT_EQ(D->Sites[0].Flags, FlagItem | FlagGradMode);
  EXPECT_EQ(D->Sites[0].Measured.Count, 2u);
  EXPECT_EQ(D->Sites[0].all().Count, 3u);
  EXPECT_EQ(D->measuredSteps().size(), 1u);
  EXPECT_EQ(D->measuredSteps()[0]->wallNs(), 20u);

  auto Wrong = parseRuntimeData(R"({"format":"something else"})", "x.json");
  ASSERT_FALSE(static_cast<bool>(Wrong));
  EXPECT_NE(llvm::toString(Wrong.takeError()).find("x.json"),
            std::string::npos);
  auto Dangling = parseRuntimeData(
      R"({"format":"trainlint-runtime","version":1,"stacks":[[]],
          "sites":[{"stack":4}]})",
      "y.json");
  EXPECT_FALSE(static_cast<bool>(Dangling));
  llvm::consumeError(Dangling.takeError());
}

TEST(ValidateTest, ReportsAreWellFormed) {
  FakeRun Run;
  Site &Item = Run.site(0, FlagItem, {frame(10)});
  Item.Measured = tally(2);
  Validation V = Run.judge({finding("torch-sync-item", 10)});
  RunInfo Info = Run.info({"/bin/train", "<arg>"}, 2);

  auto Parsed = llvm::json::parse(jsonReport(Info, V));
  ASSERT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  const llvm::json::Object *Root = Parsed->getAsObject();
  ASSERT_TRUE(Root);
  EXPECT_EQ(Root->getInteger("version"), 1);
  EXPECT_EQ(Root->getObject("run")->getString("end"), "steps-reached");
  const llvm::json::Array *Findings = Root->getArray("findings");
  ASSERT_TRUE(Findings && Findings->size() == 1);
  EXPECT_EQ((*Findings)[0].getAsObject()->getString("status"), "confirmed");
  EXPECT_EQ(Root->getObject("summary")->getNumber("steps_measured"), 2);

  std::string Html = htmlReport(Info, V);
  EXPECT_EQ(Html.find("<script"), std::string::npos);
  EXPECT_EQ(Html.find("href="), std::string::npos);
  EXPECT_EQ(Html.find("&lt;arg&gt;") != std::string::npos, true);
  EXPECT_EQ(Html.find("<arg>"), std::string::npos);
  EXPECT_NE(Html.find("<svg"), std::string::npos);
}

/// One point per measured step (1..N) of the given output sizes or counts.
std::vector<SeriesPoint> perStep(std::vector<uint64_t> Values,
                                 uint64_t Count = 1) {
  std::vector<SeriesPoint> Out;
  for (size_t I = 0; I < Values.size(); ++I)
    Out.push_back(
        {static_cast<int64_t>(I + 1), Count, Values[I] * Count, Values[I]});
  return Out;
}

TEST(ValidateTest, LoopChecksOnACpuRun) {
  FakeRun Run;
  Run.measure(4);
  Run.Data.Ops.push_back("aten::select"); // 5
  Run.Data.Ops.push_back("aten::zeros");  // 6
  Run.Data.Ops.push_back("cudaMalloc");   // 7
  // History = cat({History, Out}) at line 10: one more 64 B row every step.
  Site &Growing = Run.site(3, FlagCat | FlagGradMode, {frame(10)});
  Growing.Measured = tally(4, 400, 64 + 128 + 192 + 256);
  Growing.Setup = tally(1, 100, 0);
  Growing.StepsSeen = 4;
  Growing.Series = perStep({64, 128, 192, 256});
  // A batch built by cat at line 20: the same size every step.
  Site &Fixed = Run.site(3, FlagCat | FlagGradMode, {frame(20)});
  Fixed.Measured = tally(4, 400, 4 * 64);
  Fixed.StepsSeen = 4;
  Fixed.Series = perStep({64, 64, 64, 64});
  // A loop over 40 elements at line 30: `t[i].item()`, 80 calls a step.
  Site &Select = Run.site(5, FlagGradMode, {frame(30)});
  Select.Measured = tally(160, 160000);
  Select.StepsSeen = 4;
  Site &Item = Run.site(0, FlagItem | FlagGradMode, {frame(30)});
  Item.Measured = tally(160, 80000, 160 * 4);
  Item.StepsSeen = 4;
  // One element access a step at line 40: not a per-element loop.
  Site &One = Run.site(5, FlagGradMode, {frame(40)});
  One.Measured = tally(8, 8000);
  One.StepsSeen = 4;
  // torch::zeros({32, 32}) every step at line 50: 4 KiB a step.
  Site &Zeros = Run.site(6, FlagFactory | FlagGradMode, {frame(50)});
  Zeros.Measured = tally(4, 2000, 4 * 4096);
  Zeros.StepsSeen = 4;
  Zeros.Series = perStep({4096, 4096, 4096, 4096});
  // Line 60 runs an operator that creates nothing from nothing.
  Site &Addmm = Run.site(4, FlagGradMode, {frame(60)});
  Addmm.Measured = tally(4);
  Addmm.StepsSeen = 4;
  // A factory at line 70 that ran only before the measured steps.
  Site &SetupZeros = Run.site(6, FlagFactory, {frame(70)});
  SetupZeros.Setup = tally(1, 500, 4096);
  // cudaMalloc of 1 MiB every step at line 90, through a shared libcudart.
  Site &Malloc = Run.site(7, FlagCudaAlloc, {frame(90)});
  Malloc.Measured = tally(4, 4000, 4 << 20);
  Malloc.StepsSeen = 4;

  Validation V = Run.judge({finding("torch-loop-cat-accumulate", 10),
                            finding("torch-loop-cat-accumulate", 20),
                            finding("torch-loop-per-element", 30),
                            finding("torch-loop-per-element", 40),
                            finding("torch-loop-per-sample-forward", 30),
                            finding("torch-loop-invariant-forward", 40),
                            finding("torch-loop-invariant-tensor", 50),
                            finding("torch-loop-invariant-tensor", 60),
                            finding("torch-loop-invariant-tensor", 70),
                            finding("torch-loop-invariant-tensor", 80),
                            finding("cuda-alloc-in-loop", 30),
                            finding("cuda-alloc-in-loop", 90),
                            finding("torch-loop-rebuilt-state", 30),
                            finding("torch-loop-accessor-in-loop", 30)});
  ASSERT_EQ(V.Totals.StepsMeasured, 4u);

  const FindingResult &Cat = resultAt(V, "torch-loop-cat-accumulate", 10);
  EXPECT_EQ(Cat.Result, Status::Confirmed);
  EXPECT_EQ(Cat.Kind, SignalKind::GrowingCat);
  EXPECT_DOUBLE_EQ(Cat.Per.Count, 1.0);
  EXPECT_DOUBLE_EQ(Cat.Per.Bytes, 160.0);
  EXPECT_EQ(Cat.StepsSeen, 4u);
  ASSERT_EQ(Cat.Series.size(), 4u);
  EXPECT_EQ(Cat.Series.back().MaxBytes, 256u);
  EXPECT_NE(Cat.Reason.find("grew from 64 B to 256 B over 4 steps"),
            std::string::npos)
      << Cat.Reason;
  EXPECT_FALSE(Cat.NeedsGpu);

  const FindingResult &NoGrowth = resultAt(V, "torch-loop-cat-accumulate", 20);
  EXPECT_EQ(NoGrowth.Result, Status::NotObserved);
  EXPECT_NE(NoGrowth.Reason.find("did not grow"), std::string::npos)
      << NoGrowth.Reason;
  EXPECT_TRUE(NoGrowth.Series.empty());

  const FindingResult &PerElement = resultAt(V, "torch-loop-per-element", 30);
  EXPECT_EQ(PerElement.Result, Status::Confirmed);
  EXPECT_EQ(PerElement.Kind, SignalKind::OpCount);
  EXPECT_DOUBLE_EQ(PerElement.Per.Count, 80.0);
  EXPECT_DOUBLE_EQ(PerElement.Per.Ns, 60000.0);
  EXPECT_NE(PerElement.Reason.find("from 16 calls per step"), std::string::npos)
      << PerElement.Reason;
  EXPECT_EQ(resultAt(V, "torch-loop-per-sample-forward", 30).Result,
            Status::Confirmed);

  const FindingResult &Few = resultAt(V, "torch-loop-per-element", 40);
  EXPECT_EQ(Few.Result, Status::NotObserved);
  EXPECT_DOUBLE_EQ(Few.Per.Count, 2.0);
  EXPECT_NE(Few.Reason.find("fewer than the 16 per step"), std::string::npos)
      << Few.Reason;
  // Two calls a step is the forward running every step: what hoisting an
  // invariant forward saves.
  const FindingResult &Forward =
      resultAt(V, "torch-loop-invariant-forward", 40);
  EXPECT_EQ(Forward.Result, Status::Confirmed);
  EXPECT_DOUBLE_EQ(Forward.Per.Count, 2.0);

  const FindingResult &Alloc = resultAt(V, "torch-loop-invariant-tensor", 50);
  EXPECT_EQ(Alloc.Result, Status::Confirmed);
  EXPECT_EQ(Alloc.Kind, SignalKind::Allocation);
  EXPECT_DOUBLE_EQ(Alloc.Per.Count, 1.0);
  EXPECT_DOUBLE_EQ(Alloc.Per.Bytes, 4096.0);
  EXPECT_EQ(Alloc.StepsSeen, 4u);
  EXPECT_EQ(Alloc.Series.size(), 4u);
  EXPECT_NE(Alloc.Reason.find("4.0 KiB per step"), std::string::npos)
      << Alloc.Reason;
  const FindingResult &NoFactory =
      resultAt(V, "torch-loop-invariant-tensor", 60);
  EXPECT_EQ(NoFactory.Result, Status::NotObserved);
  EXPECT_NE(NoFactory.Reason.find("never created a tensor"), std::string::npos)
      << NoFactory.Reason;
  const FindingResult &SetupOnly =
      resultAt(V, "torch-loop-invariant-tensor", 70);
  EXPECT_EQ(SetupOnly.Result, Status::NotObserved);
  EXPECT_NE(SetupOnly.Reason.find("outside the measured steps"),
            std::string::npos);
  EXPECT_EQ(resultAt(V, "torch-loop-invariant-tensor", 80).Result,
            Status::NotExercised);

  // No allocator call seen on a CPU run says nothing: a GPU run's signal.
  const FindingResult &Cuda = resultAt(V, "cuda-alloc-in-loop", 30);
  EXPECT_EQ(Cuda.Result, Status::NotCheckable);
  EXPECT_TRUE(Cuda.NeedsGpu);
  EXPECT_NE(Cuda.Reason.find("cudaMalloc"), std::string::npos);
  EXPECT_NE(Cuda.Reason.find("needs a GPU run"), std::string::npos);
  // Calls seen through a shared libcudart confirm it; their cost needs a GPU.
  const FindingResult &CudaSeen = resultAt(V, "cuda-alloc-in-loop", 90);
  EXPECT_EQ(CudaSeen.Result, Status::Confirmed);
  EXPECT_TRUE(CudaSeen.NeedsGpu);
  EXPECT_DOUBLE_EQ(CudaSeen.Per.Count, 1.0);
  EXPECT_DOUBLE_EQ(CudaSeen.Per.Bytes, 1 << 20);
  EXPECT_NE(CudaSeen.Reason.find("needs a GPU run"), std::string::npos)
      << CudaSeen.Reason;

  // No operator tells these apart: not checkable, and why.
  const FindingResult &Rebuilt = resultAt(V, "torch-loop-rebuilt-state", 30);
  EXPECT_EQ(Rebuilt.Result, Status::NotCheckable);
  EXPECT_NE(Rebuilt.Reason.find("optimizer"), std::string::npos);
  const FindingResult &Accessor =
      resultAt(V, "torch-loop-accessor-in-loop", 30);
  EXPECT_EQ(Accessor.Result, Status::NotCheckable);
  EXPECT_NE(Accessor.Reason.find("accessor"), std::string::npos);
}

TEST(ValidateTest, CudaAllocationsOnAGpuRun) {
  FakeRun Run;
  Run.Data.CudaAvailable = true;
  Run.Data.Ops.push_back("cudaMalloc"); // 5
  Run.Data.Ops.push_back("cudaFree");   // 6
  // cudaMalloc and cudaFree of a 1 MiB scratch buffer every step at line 10.
  Site &Malloc = Run.site(5, FlagCudaAlloc, {frame(10)});
  Malloc.Measured = tally(2, 20000, 2 << 20);
  Malloc.StepsSeen = 2;
  Site &Free = Run.site(6, FlagCudaAlloc, {frame(11)});
  Free.Measured = tally(2, 10000);
  Free.StepsSeen = 2;
  // Line 20 launches kernels through libtorch but allocates nothing itself.
  Site &Addmm = Run.site(4, FlagGradMode, {frame(20)});
  Addmm.Measured = tally(2);
  Validation V = Run.judge({finding("cuda-alloc-in-loop", 10),
                            finding("cuda-alloc-in-loop", 11),
                            finding("cuda-alloc-in-loop", 20)});
  const FindingResult &Alloc = resultAt(V, "cuda-alloc-in-loop", 10);
  EXPECT_EQ(Alloc.Result, Status::Confirmed);
  EXPECT_EQ(Alloc.Kind, SignalKind::CudaAlloc);
  EXPECT_FALSE(Alloc.NeedsGpu);
  EXPECT_DOUBLE_EQ(Alloc.Per.Count, 1.0);
  EXPECT_DOUBLE_EQ(Alloc.Per.Bytes, 1 << 20);
  EXPECT_EQ(resultAt(V, "cuda-alloc-in-loop", 11).Result, Status::Confirmed);
  EXPECT_EQ(resultAt(V, "cuda-alloc-in-loop", 20).Result, Status::NotObserved);
  // The allocator calls are no operators: they are not counted as such.
  Validation Ops = Run.judge({finding("torch-loop-invariant-forward", 10)});
  EXPECT_EQ(Ops.Findings.front().Result, Status::NotObserved);
}

TEST(ValidateTest, ReportsShowLoopMeasurements) {
  FakeRun Run;
  Run.measure(3);
  Site &Growing = Run.site(3, FlagCat | FlagGradMode, {frame(10)});
  Growing.Measured = tally(3, 300, 64 + 128 + 192);
  Growing.StepsSeen = 3;
  Growing.Series = perStep({64, 128, 192});
  Validation V = Run.judge({finding("torch-loop-cat-accumulate", 10)});
  RunInfo Info = Run.info({"/bin/train"}, 3);

  auto Parsed = llvm::json::parse(jsonReport(Info, V));
  ASSERT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  const llvm::json::Object *Finding =
      (*Parsed->getAsObject()->getArray("findings"))[0].getAsObject();
  EXPECT_EQ(Finding->getString("signal"), "growing-cat");
  const llvm::json::Array *Series = Finding->getArray("series");
  ASSERT_TRUE(Series);
  ASSERT_EQ(Series->size(), 3u);
  EXPECT_EQ((*Series)[2].getAsObject()->getInteger("max_bytes"), 192);
  EXPECT_EQ((*Series)[2].getAsObject()->getInteger("step"), 3);
  EXPECT_EQ((*Series)[2].getAsObject()->getInteger("bytes"), 192);

  std::string Html = htmlReport(Info, V);
  // The growth curve: one bar per step, the first and the last size.
  EXPECT_NE(Html.find("aria-label=\"output bytes per step\""),
            std::string::npos);
  EXPECT_NE(Html.find("<title>step 3: 192 B</title>"), std::string::npos);
  EXPECT_NE(Html.find("64 B &rarr; 192 B over 3 steps"), std::string::npos);
}

std::vector<LossValue> losses(std::vector<double> Values) {
  std::vector<LossValue> Out;
  for (size_t I = 0; I < Values.size(); ++I)
    Out.push_back({static_cast<int64_t>(I), 0, Values[I]});
  return Out;
}

TEST(ValidateTest, LossDivergence) {
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  const double Inf = std::numeric_limits<double>::infinity();
  // A NaN or an infinity anywhere, even between finite losses.
  EXPECT_EQ(lossDivergence(losses({2.0, 1.5, NaN, 1.0})),
            "the loss was NaN at step 2");
  EXPECT_EQ(lossDivergence(losses({2.0, Inf})),
            "the loss was infinite at step 1");
  EXPECT_EQ(lossDivergence(losses({-Inf})),
            "the loss was minus infinite at step 0");
  // More than tenfold: the median of the last three over the first three's.
  std::optional<std::string> Grew =
      lossDivergence(losses({1.0, 1.2, 0.9, 3.0, 8.0, 12.0, 15.0, 20.0}));
  ASSERT_TRUE(Grew);
  EXPECT_EQ(*Grew, "the loss grew more than tenfold over the run, from "
                   "1.0000 (the median of the first 3 backward passes) to "
                   "15.0000 (the median of the last 3)");
  // A decreasing loss, a noisy one and one that grew ninefold stay silent.
  EXPECT_FALSE(lossDivergence(losses({2.3, 1.9, 1.4, 1.1, 0.8, 0.6, 0.5})));
  EXPECT_FALSE(lossDivergence(losses({1.0, 30.0, 1.0, 1.1, 0.9, 1.0})));
  EXPECT_FALSE(lossDivergence(losses({1.0, 1.0, 1.0, 9.0, 9.0, 9.0})));
  // One spike at the end is one point of three: the median ignores it.
  EXPECT_FALSE(lossDivergence(losses({1.0, 1.0, 1.0, 1.0, 1.0, 100.0})));
  // Two points: one each.
  EXPECT_TRUE(lossDivergence(losses({0.5, 6.0})));
  // Too few to tell.
  EXPECT_FALSE(lossDivergence(losses({})));
  EXPECT_FALSE(lossDivergence(losses({1e9})));
}

TEST(ValidateTest, LossesInTheRunAndTheReports) {
  FakeRun Run;
  Run.Data.Losses = losses({1.0, 0.9, std::numeric_limits<double>::quiet_NaN()});
  // The backward() call the losses came from.
  Run.Data.Losses[0].Stack = static_cast<unsigned>(Run.Data.Stacks.size());
  Run.site(0, FlagBackward, {frame(33)});
  Validation V = Run.judge({});
  EXPECT_EQ(V.Loss.Points.size(), 3u);
  EXPECT_EQ(V.Loss.Divergence, "the loss was NaN at step 2");
  const SignalResult *Diverged = nullptr;
  for (const SignalResult &S : V.Signals)
    if (S.Kind == SignalKind::LossDiverged)
      Diverged = &S;
  ASSERT_TRUE(Diverged);
  EXPECT_EQ(Diverged->Where.Line, 33u);
  EXPECT_EQ(Diverged->Detail, "the loss was NaN at step 2");

  RunInfo Info = Run.info({"/bin/train"}, 2);
  auto Parsed = llvm::json::parse(jsonReport(Info, V));
  ASSERT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  const llvm::json::Object *Loss = Parsed->getAsObject()->getObject("loss");
  ASSERT_TRUE(Loss);
  EXPECT_EQ(Loss->getBoolean("diverged"), true);
  const llvm::json::Array *Points = Loss->getArray("points");
  ASSERT_TRUE(Points);
  ASSERT_EQ(Points->size(), 3u);
  EXPECT_EQ((*Points)[0].getAsObject()->getNumber("value"), 1.0);
  // JSON has no NaN: it is a string, as in the runtime's data file.
  EXPECT_EQ((*Points)[2].getAsObject()->getString("value"), "nan");

  std::string Html = htmlReport(Info, V);
  EXPECT_NE(Html.find("<h2>Loss</h2>"), std::string::npos);
  EXPECT_NE(Html.find("aria-label=\"loss per backward pass\""),
            std::string::npos);
  EXPECT_NE(Html.find("loss-diverged: the loss was NaN at step 2"),
            std::string::npos);
  // The NaN is a mark, not a point of the line.
  EXPECT_NE(Html.find("<title>step 2: NaN</title></circle>"),
            std::string::npos);

  // No loss read: no section.
  FakeRun Silent;
  Validation None = Silent.judge({});
  EXPECT_TRUE(None.Loss.Divergence.empty());
  EXPECT_EQ(htmlReport(Silent.info({"/bin/train"}, 2), None).find("<h2>Loss"),
            std::string::npos);
}

TEST(ValidateTest, StatementEnds) {
  const char *Source = R"cpp(double evaluate(Head &m) {  // 1
  for (int i = 0; i < 3; ++i) {        // 2: braces in a comment }
    auto s = "}";                      // 3
  }                                    // 4
  for (int x : {1, 2})                 // 5
    use(x);                            // 6
  /* { */ return 0;                    // 7
}                                      // 8
)cpp";
  EXPECT_EQ(statementEndLine(Source, 1), 8u);
  EXPECT_EQ(statementEndLine(Source, 2), 4u);
  // A braced list inside the parentheses opens no body.
  EXPECT_EQ(statementEndLine(Source, 5), 6u);
  EXPECT_EQ(statementEndLine(Source, 7), 7u);
  EXPECT_EQ(statementEndLine(Source, 40), std::nullopt);
}

/// A source of 30 lines whose loop at line 20 ends at line 25.
StatementEndLookup loopAt20() {
  return [](llvm::StringRef, unsigned Line) -> std::optional<unsigned> {
    if (Line == 20)
      return 25u;
    return std::nullopt;
  };
}

TEST(ValidateTest, MissingZeroGradMatchesTheLoop) {
  FakeRun Run;
  // Gradients added to the last step's at the backward() call on line 22,
  // inside the loop whose header (line 20) the finding names.
  Site &NotCleared = Run.site(0, FlagGradNotCleared, {frame(22)});
  NotCleared.Measured = tally(4, 0, 80);
  NotCleared.StepsSeen = 2;
  // The same accumulation in another loop.
  Site &Elsewhere = Run.site(0, FlagGradNotCleared, {frame(40)});
  Elsewhere.Measured = tally(6, 0, 80);
  std::vector<Finding> Findings = {
      finding("torch-optim-missing-zero-grad", 20)};
  Validation V = Run.judge(Findings, nullptr, loopAt20());
  const FindingResult &R = V.Findings.front();
  EXPECT_EQ(R.Result, Status::Confirmed);
  EXPECT_DOUBLE_EQ(R.Per.Count, 2.0);
  EXPECT_EQ(R.StatementEnd, 25u);
  EXPECT_EQ(R.Reason, "accumulated gradients across optimizer steps 2.00 "
                      "times per step in lines 20-25 (in 2 of 2 steps), 40 B "
                      "per step");
  // Without the loop's extent, only the header line counts: nothing ran
  // there.
  Validation LineOnly = Run.judge(Findings);
  EXPECT_EQ(LineOnly.Findings.front().Result, Status::NotExercised);
  // Gradients cleared every step: the loop ran, nothing accumulated.
  FakeRun Cleared;
  Site &Zero = Cleared.site(0, FlagZero, {frame(21)});
  Zero.Measured = tally(2);
  EXPECT_EQ(Cleared.judge(Findings, nullptr, loopAt20()).Findings.front().Result,
            Status::NotObserved);
}

TEST(ValidateTest, EvaluationFindingsPerBatch) {
  FakeRun Run;
  // An evaluation loop (lines 20-25) after the measured steps, four batches
  // with grad mode on: the model's two operators at line 21 and the metric
  // at line 22 built nodes no backward pass ran. The item() once a batch
  // at line 23 built none.
  Site &Forward =
      Run.site(4, FlagGradMode, {frame(5, "Net::forward"), frame(21)});
  Forward.Tail = tally(8, 8000);
  Forward.Tail.Nodes = 8;
  Site &Loss = Run.site(4, FlagGradMode, {frame(22)});
  Loss.Tail = tally(4, 2000);
  Loss.Tail.Nodes = 4;
  Site &Metric = Run.site(4, FlagGradMode, {frame(22)});
  Metric.Tail = tally(4, 2000);
  Metric.Tail.Nodes = 4;
  Run.site(0, FlagItem | FlagGradMode, {frame(23)}).Tail = tally(4);
  // Dropout in training mode with grad mode on, its graph never used: the
  // evaluation forgot eval().
  Site &Dropout =
      Run.site(4, FlagModeOp | FlagTrainingMode | FlagGradMode, {frame(21)});
  Dropout.Tail = tally(4, 400);
  Dropout.Tail.Nodes = 4;
  // The same forward in training (line 40), backpropagated.
  Site &Train = Run.site(4, FlagGradMode | FlagModeOp | FlagTrainingMode,
                         {frame(5, "Net::forward"), frame(40)});
  Train.Measured = tally(2);
  Train.Measured.Nodes = Train.Measured.NodesBackwarded = 2;
  Validation V = Run.judge({finding("torch-optim-eval-without-no-grad", 20),
                            finding("torch-optim-train-eval-mode", 20),
                            finding("torch-optim-train-eval-mode", 40)},
                           nullptr, [](llvm::StringRef, unsigned Line) {
                             return Line == 20 ? std::optional<unsigned>(25)
                                    : Line == 40 ? std::optional<unsigned>(45)
                                                 : std::nullopt;
                           });
  const FindingResult &Eval = V.Findings[0];
  EXPECT_EQ(Eval.Result, Status::Confirmed);
  // Most sites ran 4 times: 4 batches; 20 nodes in all.
  EXPECT_EQ(Eval.Batch.Batches, 4u);
  EXPECT_DOUBLE_EQ(Eval.Batch.Count, 5.0);
  EXPECT_DOUBLE_EQ(Eval.Batch.Ns, 3100.0);
  EXPECT_EQ(Eval.Reason,
            "built 5.0 autograd nodes per evaluation batch that no backward "
            "pass used, in lines 20-25 (4 batches, 3.1 us per batch in the "
            "operators that built them)");
  const FindingResult &Mode = V.Findings[1];
  EXPECT_EQ(Mode.Result, Status::Confirmed);
  EXPECT_EQ(Mode.Batch.Batches, 4u);
  EXPECT_DOUBLE_EQ(Mode.Batch.Count, 1.0);
  EXPECT_NE(Mode.Reason.find("training mode during evaluation"),
            std::string::npos);
  // Dropout in training mode while training is right.
  EXPECT_EQ(V.Findings[2].Result, Status::NotObserved);
  EXPECT_NE(V.Findings[2].Reason.find("in training mode, in training"),
            std::string::npos);

  // The same evaluation under a no-grad guard, after eval(): no graph,
  // dropout in evaluation mode.
  FakeRun Clean;
  Clean.site(4, 0, {frame(5, "Net::forward"), frame(21)}).Tail = tally(8);
  Clean.site(4, FlagModeOp, {frame(21)}).Tail = tally(4);
  Validation C = Clean.judge({finding("torch-optim-eval-without-no-grad", 20),
                              finding("torch-optim-train-eval-mode", 20)},
                             nullptr, loopAt20());
  EXPECT_EQ(C.Findings[0].Result, Status::NotObserved);
  EXPECT_EQ(C.Findings[0].Reason,
            "the code ran but never built autograd nodes that no backward "
            "pass used: its operators ran with grad mode off");
  EXPECT_EQ(C.Findings[1].Result, Status::NotObserved);
}

TEST(ValidateTest, ReadsLossesAndEvaluation) {
  const char *Text = R"json({"format":"trainlint-runtime","version":1,
    "config":{"stop_after_steps":2,"step_on":"optimizer","eval_batches":8},
    "end":{"reason":"steps-reached"},"tables_complete":true,
    "steps":[{"index":0,"complete":true},{"index":1,"complete":true},
             {"index":2,"complete":true},{"index":3,"complete":true},
             {"index":4,"complete":false}],
    "stacks":[[]],"sites":[],
    "losses":[{"step":0,"stack":0,"value":2.5e0},{"step":1,"stack":0,"value":"nan"},
              {"step":2,"stack":0,"value":"-inf"}],
    "evaluation":{"batches":4,"phases":1,"waited":true,
                  "stopped_by":"evaluation-ended"}})json";
  auto D = parseRuntimeData(Text, "data.json");
  ASSERT_TRUE(static_cast<bool>(D)) << llvm::toString(D.takeError());
  ASSERT_EQ(D->Losses.size(), 3u);
  EXPECT_DOUBLE_EQ(D->Losses[0].Value, 2.5);
  EXPECT_TRUE(std::isnan(D->Losses[1].Value));
  EXPECT_TRUE(std::isinf(D->Losses[2].Value) && D->Losses[2].Value < 0);
  EXPECT_EQ(D->EvalBatches, 8u);
  EXPECT_EQ(D->Evaluation.Batches, 4u);
  EXPECT_TRUE(D->Evaluation.Waited);
  EXPECT_EQ(D->Evaluation.StoppedBy, "evaluation-ended");
  // Steps after the requested two ran while waiting for evaluation: not
  // measured.
  EXPECT_EQ(D->measuredSteps().size(), 2u);
}

} // namespace
