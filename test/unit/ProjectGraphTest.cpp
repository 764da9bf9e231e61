// The hot-path analysis on plain graphs: what joins across translation
// units, and what a summary carries.

#include "model/ProjectGraph.h"
#include "gtest/gtest.h"

using namespace trainlint;

namespace {

SourcePoint at(const std::string &File, unsigned Line) { return {File, Line, 1}; }

GraphPosition inLoop(int Loop, std::vector<bool> Gated = {false}) {
  GraphPosition P;
  P.Loop = Loop;
  P.GatedUpTo = std::move(Gated);
  return P;
}

/// The key of the test function \p Usr, defined in \p Usr.cpp.
std::string key(const std::string &Usr) {
  return functionKey(Usr, at(Usr + ".cpp", 1));
}

GraphCall call(const std::string &Callee, GraphPosition At, unsigned Line) {
  GraphCall C;
  C.Callee = Callee;
  C.CalleeName = Callee;
  C.Where = at("caller.cpp", Line);
  C.At = std::move(At);
  return C;
}

/// main.cpp: `for (...) train_step(...);` with train_step only declared.
ProjectGraph mainUnit() {
  ProjectGraph G;
  GraphFunction Main;
  Main.Name = "main";
  Main.Where = at("main.cpp", 1);
  Main.Loops.push_back({-1, at("main.cpp", 3), false, false});
  Main.Calls.push_back(call("step", inLoop(0), 4));
  G.Functions[key("main")] = Main;
  G.Devices = DeviceEvidence::MaybeAccelerator;
  return G;
}

/// step.cpp: train_step runs backward and calls log().
ProjectGraph stepUnit(unsigned Depth = 1) {
  ProjectGraph G;
  GraphFunction Step;
  Step.Name = "step";
  Step.Where = at("step.cpp", 1);
  Step.Signals.push_back({BackwardSignal, -1});
  Step.Calls.push_back(call("log1", GraphPosition(), 5));
  G.Functions[key("step")] = Step;
  for (unsigned I = 1; I <= Depth; ++I) {
    GraphFunction Log;
    Log.Name = "log" + std::to_string(I);
    if (I < Depth)
      Log.Calls.push_back(call("log" + std::to_string(I + 1), GraphPosition(), 2));
    G.Functions[key("log" + std::to_string(I))] = Log;
  }
  return G;
}

TEST(ProjectGraphTest, OneUnitAloneDecidesNothingAcrossFiles) {
  ProjectGraph Main = mainUnit();
  HotAnalysis A(Main);
  EXPECT_FALSE(A.stepLoopOf(key("main"), 0))
      << "main.cpp cannot see that the step trains";
  ProjectGraph Step = stepUnit();
  HotAnalysis B(Step);
  EXPECT_FALSE(B.resolve(key("step"), GraphPosition()))
      << "step.cpp has no loop that calls the step";
}

TEST(ProjectGraphTest, TheJoinedGraphSeesTheLoopAndTheStep) {
  ProjectGraph G = mainUnit();
  G.merge(stepUnit());
  HotAnalysis A(G);
  auto Loop = A.stepLoopOf(key("main"), 0);
  ASSERT_TRUE(Loop);
  EXPECT_EQ(Loop->first, LoopKind::Training);
  auto Reach = A.resolve(key("log1"), GraphPosition());
  ASSERT_TRUE(Reach);
  EXPECT_EQ(Reach->Kind, LoopKind::Training);
  EXPECT_EQ(Reach->LoopFunction, key("main"));
  ASSERT_EQ(Reach->Chain.size(), 2u);
  EXPECT_EQ(Reach->Chain[0].first, key("main"));
  EXPECT_EQ(Reach->Chain[1].first, key("step"));
  EXPECT_FALSE(Reach->Gated);
}

TEST(ProjectGraphTest, CallsAreFollowedThreeDeep) {
  ProjectGraph G = mainUnit();
  G.merge(stepUnit(/*Depth=*/3));
  HotAnalysis A(G);
  EXPECT_TRUE(A.resolve(key("log2"), GraphPosition())) << "three calls from the loop";
  EXPECT_FALSE(A.resolve(key("log3"), GraphPosition())) << "four calls from the loop";
}

TEST(ProjectGraphTest, AGatedCallGatesWhatItReaches) {
  ProjectGraph G = mainUnit();
  G.Functions[key("main")].Calls[0].At = inLoop(0, {true});
  G.merge(stepUnit());
  HotAnalysis A(G);
  auto Reach = A.resolve(key("step"), GraphPosition());
  ASSERT_TRUE(Reach);
  EXPECT_TRUE(Reach->Gated);
}

TEST(ProjectGraphTest, ACounterPassedOnGatesConditionsOnTheParameter) {
  ProjectGraph G = mainUnit();
  CounterArgument Counter;
  Counter.Param = 1;
  Counter.LoopCounter = true;
  G.Functions[key("main")].Calls[0].Counters.push_back(Counter);
  G.merge(stepUnit());
  HotAnalysis A(G);
  GraphPosition UnderParam;
  UnderParam.GateParams = {1};
  auto Gated = A.resolve(key("step"), UnderParam);
  ASSERT_TRUE(Gated);
  EXPECT_TRUE(Gated->Gated) << "`if (step % 100 == 0)` on the counter";
  GraphPosition UnderOther;
  UnderOther.GateParams = {0};
  auto Hot = A.resolve(key("step"), UnderOther);
  ASSERT_TRUE(Hot);
  EXPECT_FALSE(Hot->Gated) << "a condition on another parameter";
}

TEST(ProjectGraphTest, DeviceWorkForAFunctionOutsideTheProjectLaunches) {
  ProjectGraph G = mainUnit();
  G.Functions[key("main")].Calls[0].PassesDeviceWork = true;
  HotAnalysis Unknown(G);
  auto Loop = Unknown.stepLoopOf(key("main"), 0);
  ASSERT_TRUE(Loop);
  EXPECT_EQ(Loop->first, LoopKind::CudaStep);
  // Where the function is in the project, what it does decides.
  GraphFunction Step;
  Step.Name = "step";
  G.Functions[key("step")] = Step;
  HotAnalysis Known(G);
  EXPECT_FALSE(Known.stepLoopOf("main", 0))
      << "the function launches nothing";
}

TEST(ProjectGraphTest, AHeaderFunctionIsOneAndTwoProgramsMainsAreTwo) {
  ProjectGraph G = stepUnit();
  ProjectGraph Other;
  Other.Functions[key("step")].Name = "other"; // the same definition
  Other.Devices = DeviceEvidence::CpuOnly;
  G.merge(Other);
  EXPECT_EQ(G.Functions[key("step")].Name, "step");
  EXPECT_EQ(G.Devices, DeviceEvidence::CpuOnly);
  G.merge(mainUnit());
  EXPECT_EQ(G.Devices, DeviceEvidence::MaybeAccelerator);
  // Another program's `main`, with a loop that calls nothing: the first
  // program's loop still trains.
  ProjectGraph Tool;
  GraphFunction OtherMain;
  OtherMain.Loops.push_back({-1, at("tool.cpp", 3), false, false});
  Tool.Functions[functionKey("main", at("tool.cpp", 1))] = OtherMain;
  G.merge(Tool);
  EXPECT_EQ(G.keysOf("main").size(), 2u);
  HotAnalysis A(G);
  EXPECT_TRUE(A.stepLoopOf(key("main"), 0));
  EXPECT_FALSE(A.stepLoopOf(functionKey("main", at("tool.cpp", 1)), 0));
  // A call reaches every definition of its callee's USR.
  EXPECT_EQ(G.keysOf("log1").size(), 1u);
  EXPECT_TRUE(G.keysOf("lo").empty()) << "a prefix of a USR is another USR";
}

TEST(ProjectGraphTest, JsonRoundTrips) {
  ProjectGraph G = mainUnit();
  G.merge(stepUnit(2));
  G.Functions[key("main")].Calls[0].At.GateParams = {2};
  G.Functions[key("main")].Loops[0].TimesItself = true;
  auto Back = ProjectGraph::fromJson(G.toJson());
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->toJson(), G.toJson());
  EXPECT_EQ(Back->Devices, DeviceEvidence::MaybeAccelerator);
  EXPECT_TRUE(Back->Functions[key("main")].Loops[0].TimesItself);
}

TEST(ProjectGraphTest, MalformedGraphsAreRefused) {
  ProjectGraph G = mainUnit();
  G.Functions[key("main")].Calls[0].At.Loop = 7; // no such loop
  auto Bad = ProjectGraph::fromJson(G.toJson());
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("malformed project graph"),
            std::string::npos);
  auto NotAGraph = ProjectGraph::fromJson(llvm::json::Value(42));
  EXPECT_FALSE(bool(NotAGraph));
  llvm::consumeError(NotAGraph.takeError());
}

TEST(ProjectGraphTest, DeferredNotesRoundTrip) {
  DeferredHotPath D;
  D.Function = "c:@F@train_step#";
  D.At = inLoop(0, {false, true});
  D.At.GateParams = {3};
  D.NeedsAccelerator = true;
  auto Back = decodeDeferredNote(encodeDeferredNote(D));
  ASSERT_TRUE(Back);
  EXPECT_EQ(Back->Function, D.Function);
  EXPECT_EQ(Back->At.GatedUpTo, D.At.GatedUpTo);
  EXPECT_EQ(Back->At.GateParams, D.At.GateParams);
  EXPECT_TRUE(Back->NeedsAccelerator);
  EXPECT_FALSE(Back->NeedsUntimedLoop);
  EXPECT_FALSE(decodeDeferredNote("training loop starts here"));
  EXPECT_FALSE(decodeDeferredNote(std::string(DeferredNotePrefix) + "{oops"));
}

} // namespace

TEST(ProjectGraphTest, WhatALoopDoesIncludesItsCalleesAndSaysWhenOneIsUnknown) {
  ProjectGraph Main = mainUnit();
  HotAnalysis Alone(Main);
  EXPECT_EQ(Alone.loopSignals(key("main"), 0), unsigned(OpaqueCallSignal))
      << "main.cpp alone cannot see what the step does";
  ProjectGraph G = mainUnit();
  G.merge(stepUnit());
  G.Functions[key("log1")].Signals.push_back({ZeroGradSignal, -1});
  HotAnalysis Joined(G);
  EXPECT_EQ(Joined.loopSignals(key("main"), 0), unsigned(BackwardSignal | ZeroGradSignal));
  EXPECT_EQ(Joined.functionSignals(key("step")), unsigned(BackwardSignal | ZeroGradSignal));
  EXPECT_EQ(G.programSignals(), unsigned(BackwardSignal | ZeroGradSignal));
  EXPECT_EQ(Joined.callsTo("step").size(), 1u);
}

TEST(ProjectGraphTest, ADeferredLackHoldsOnlyWhenTheProjectShowsIt) {
  DeferredHotPath D;
  D.Function = key("main");
  D.At = inLoop(0);
  D.Decided = true;
  D.MustDo = BackwardSignal;
  D.MustLack = ZeroGradSignal;
  ProjectGraph Main = mainUnit();
  EXPECT_FALSE(HotAnalysis(Main).holds(D)) << "an unknown callee may clear gradients";
  ProjectGraph G = mainUnit();
  G.merge(stepUnit());
  EXPECT_TRUE(HotAnalysis(G).holds(D)) << "the step trains and nothing clears";
  G.Functions[key("log1")].Signals.push_back({ZeroGradSignal, -1});
  EXPECT_FALSE(HotAnalysis(G).holds(D)) << "a callee clears the gradients";
  auto RoundTrip = decodeDeferredNote(encodeDeferredNote(D));
  ASSERT_TRUE(RoundTrip);
  EXPECT_EQ(RoundTrip->MustDo, D.MustDo);
  EXPECT_EQ(RoundTrip->MustLack, D.MustLack);
}

TEST(ProjectGraphTest, ADeferredCpuOnlyFindingHoldsOnlyWhereNoUnitNamesAnAccelerator) {
  DeferredHotPath D;
  D.Decided = true;
  D.NeedsCpuOnly = true;
  ProjectGraph Step = stepUnit();
  ASSERT_EQ(Step.Devices, DeviceEvidence::None);
  EXPECT_TRUE(HotAnalysis(Step).holds(D)) << "no unit names a device";
  Step.Devices = DeviceEvidence::CpuOnly;
  EXPECT_TRUE(HotAnalysis(Step).holds(D)) << "only the CPU is named";
  ProjectGraph G = stepUnit();
  G.merge(mainUnit());
  EXPECT_FALSE(HotAnalysis(G).holds(D))
      << "main.cpp, another unit, may use an accelerator";
  auto RoundTrip = decodeDeferredNote(encodeDeferredNote(D));
  ASSERT_TRUE(RoundTrip);
  EXPECT_TRUE(RoundTrip->NeedsCpuOnly);
  EXPECT_FALSE(RoundTrip->NeedsAccelerator);
}

TEST(ProjectGraphTest, ADeferredProgramConditionLooksAtEveryFunction) {
  DeferredHotPath D;
  D.Decided = true;
  D.ProgramMustDo = ConvolutionSignal;
  D.ProgramMustLack = CudnnBenchmarkSignal;
  ProjectGraph G = mainUnit();
  G.merge(stepUnit());
  EXPECT_FALSE(HotAnalysis(G).holds(D)) << "no convolution anywhere";
  G.Functions[key("log1")].Signals.push_back({ConvolutionSignal, -1});
  EXPECT_TRUE(HotAnalysis(G).holds(D))
      << "a convolution, in a function no loop calls, and no autotuner";
  G.Functions[key("main")].Signals.push_back({CudnnBenchmarkSignal, -1});
  EXPECT_FALSE(HotAnalysis(G).holds(D)) << "main turns the autotuner on";
  auto RoundTrip = decodeDeferredNote(encodeDeferredNote(D));
  ASSERT_TRUE(RoundTrip);
  EXPECT_EQ(RoundTrip->ProgramMustDo, D.ProgramMustDo);
  EXPECT_EQ(RoundTrip->ProgramMustLack, D.ProgramMustLack);
}

TEST(ProjectGraphTest, TwoDeferredConditionsJoinOnTheOneThatNamesAFunction) {
  DeferredHotPath Loop;
  Loop.Function = key("main");
  Loop.At = inLoop(0);
  Loop.Decided = true;
  Loop.MustDo = BackwardSignal;
  Loop.MustLack = AutocastSignal;
  DeferredHotPath Program;
  Program.Decided = true;
  Program.NeedsAccelerator = true;
  Program.ProgramMustLack = ReducedPrecisionSignal;
  for (const DeferredHotPath &Joined :
       {bothHold(Loop, Program), bothHold(Program, Loop)}) {
    EXPECT_EQ(Joined.Function, Loop.Function);
    EXPECT_EQ(Joined.At.Loop, 0);
    EXPECT_EQ(Joined.MustDo, unsigned(BackwardSignal));
    EXPECT_EQ(Joined.MustLack, unsigned(AutocastSignal));
    EXPECT_EQ(Joined.ProgramMustLack, unsigned(ReducedPrecisionSignal));
    EXPECT_TRUE(Joined.NeedsAccelerator);
    EXPECT_TRUE(Joined.Decided);
  }
  ProjectGraph G = mainUnit();
  G.merge(stepUnit());
  EXPECT_TRUE(HotAnalysis(G).holds(bothHold(Loop, Program)));
  G.Functions[key("log1")].Signals.push_back({ReducedPrecisionSignal, -1});
  EXPECT_FALSE(HotAnalysis(G).holds(bothHold(Loop, Program)))
      << "the half-precision conversion is in the program";
  DeferredHotPath Undecided;
  Undecided.NeedsUntimedLoop = true;
  EXPECT_FALSE(bothHold(Program, Undecided).Decided);
}
