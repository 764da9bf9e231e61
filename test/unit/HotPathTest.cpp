// The hot-path model: which loops are step loops, what is reached from them,
// and which code a step-counter condition makes rare.

#include "model/HotPath.h"
#include "model/StepCounter.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "MockAST.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

/// Parses \p Code (after the mock libtorch and CUDA headers) and gives access
/// to calls by callee name.
class Parsed {
public:
  explicit Parsed(const std::string &Code, bool Cuda = false)
      : AST(parseWithMocks(
            "#include <torch/torch.h>\n#include <cuda_runtime.h>\n", Code,
            Cuda)) {}

  ASTContext &context() { return AST->getASTContext(); }
  const HotPathModel &model() { return HotPathModel::get(context()); }

  /// The calls, in source order, of a function or method named \p Name;
  /// a template's pattern and its instantiations share one place.
  std::vector<std::vector<const CallExpr *>> callsByPlace(llvm::StringRef Name) {
    auto Matches =
        match(callExpr(callee(functionDecl(hasName(Name)))).bind("c"),
              context());
    std::map<unsigned, std::vector<const CallExpr *>> ByOffset;
    for (const auto &M : Matches) {
      const auto *Call = M.getNodeAs<CallExpr>("c");
      ByOffset[context().getSourceManager().getFileOffset(
                   Call->getBeginLoc())]
          .push_back(Call);
    }
    std::vector<std::vector<const CallExpr *>> Places;
    for (auto &Entry : ByOffset)
      Places.push_back(std::move(Entry.second));
    return Places;
  }

  /// How the \p Nth call of \p Name is classified (the best of a template's
  /// copies, as the checks see each of them).
  std::optional<HotContext> classify(llvm::StringRef Name, unsigned Nth = 0) {
    auto Places = callsByPlace(Name);
    EXPECT_LT(Nth, Places.size()) << "no call " << Nth << " of " << Name.str();
    if (Nth >= Places.size())
      return std::nullopt;
    for (const CallExpr *Call : Places[Nth])
      if (auto Hot = model().classify(*Call))
        return Hot;
    return std::nullopt;
  }

  unsigned lineOf(const Stmt *S) {
    return context().getSourceManager().getPresumedLineNumber(S->getBeginLoc()) -
           2; // the two #include lines: lines of the code given
  }

private:
  std::unique_ptr<ASTUnit> AST;
};

const char *const Preamble = R"cpp(
void probe();
void probe2();
torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
)cpp";

TEST(HotPathTest, LoopWithBackwardIsATrainingLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x, torch::optim::SGD &opt) {
  probe();
  for (int i = 0; i < 10; ++i) {
    x.backward();
    probe();
  }
  probe();
})cpp");
  EXPECT_FALSE(P.classify("probe", 0)) << "before the loop";
  auto Hot = P.classify("probe", 1);
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->Kind, LoopKind::Training);
  EXPECT_TRUE(isa<ForStmt>(Hot->Loop));
  EXPECT_TRUE(Hot->CallChain.empty());
  EXPECT_FALSE(Hot->isGated());
  EXPECT_FALSE(P.classify("probe", 2)) << "after the loop";
}

TEST(HotPathTest, OptimizerStepMakesATrainingLoopButASchedulerDoesNot) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::optim::Adam &opt, torch::optim::StepLR &sched) {
  while (true) { opt.step(); probe(); }
  do { sched.step(); probe2(); } while (true);
})cpp");
  auto Hot = P.classify("probe");
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->Kind, LoopKind::Training);
  EXPECT_TRUE(isa<WhileStmt>(Hot->Loop));
  EXPECT_FALSE(P.classify("probe2")) << "an LR scheduler's step is no training step";
}

TEST(HotPathTest, ForwardWithoutBackwardIsAnEvaluationLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::nn::Linear &model, std::vector<torch::Tensor> xs) {
  for (auto &x : xs) { model->forward(x); probe(); }
  for (auto &x : xs) { model(x); probe(); }
})cpp");
  auto First = P.classify("probe", 0);
  ASSERT_TRUE(First);
  EXPECT_EQ(First->Kind, LoopKind::Evaluation);
  auto Second = P.classify("probe", 1);
  ASSERT_TRUE(Second) << "calling a module runs its forward";
  EXPECT_EQ(Second->Kind, LoopKind::Evaluation);
}

TEST(HotPathTest, DataLoaderLoopIsHotAndItsRangeIsNot) {
  Parsed P(std::string(Preamble) + R"cpp(
template <typename Loader> void f(Loader &loader) {
  for (auto &batch : loader) { probe(); }
}
void g() {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("d"));
  f(*loader);
})cpp");
  auto Hot = P.classify("probe");
  ASSERT_TRUE(Hot) << "the instantiation iterates a data loader";
  EXPECT_EQ(Hot->Kind, LoopKind::Evaluation);
}

TEST(HotPathTest, KernelLaunchLoopIsACudaStepLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
__global__ void kernel(float *x);
void f(float *x) {
  for (int i = 0; i < 4; ++i) cudaMalloc((void **)&x, 4);
  for (int i = 0; i < 100; ++i) {
    kernel<<<1, 32>>>(x);
    cudaDeviceSynchronize();
  }
})cpp",
           /*Cuda=*/true);
  EXPECT_FALSE(P.classify("cudaMalloc")) << "a setup loop launches nothing";
  auto Hot = P.classify("cudaDeviceSynchronize");
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->Kind, LoopKind::CudaStep);
}

TEST(HotPathTest, NestedLoopsInAStepLoopAreHotButEpochCodeIsNot) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x) {
  for (int epoch = 0; epoch < 3; ++epoch) {
    probe2();
    for (int step = 0; step < 100; ++step) {
      for (int k = 0; k < 4; ++k) probe();
      x.backward();
    }
  }
})cpp");
  auto Inner = P.classify("probe");
  ASSERT_TRUE(Inner);
  EXPECT_EQ(P.lineOf(Inner->Loop), 9u) << "the step loop is the context";
  EXPECT_FALSE(P.classify("probe2")) << "once per epoch";
}

TEST(HotPathTest, FunctionsCalledFromTheLoopAreHotWithTheirChain) {
  Parsed P(std::string(Preamble) + R"cpp(
void leaf() { probe(); }
void middle() { leaf(); }
void deep4() { probe2(); }
void deep3() { deep4(); }
void deep2() { deep3(); }
void deep1() { deep2(); }
void f(torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    middle();
    deep1();
    x.backward();
  }
})cpp");
  auto Hot = P.classify("probe");
  ASSERT_TRUE(Hot);
  ASSERT_EQ(Hot->CallChain.size(), 2u);
  EXPECT_EQ(P.lineOf(Hot->CallChain[0].Call), 14u);
  EXPECT_EQ(P.lineOf(Hot->CallChain[1].Call), 7u);
  EXPECT_FALSE(P.classify("probe2"))
      << "more than " << HotPathModel::MaxCallDepth << " calls deep";
}

TEST(HotPathTest, BackwardInAHelperMakesTheCallingLoopAStepLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
void trainStep(torch::Tensor x) { x.backward(); }
void f(torch::Tensor x) {
  for (int step = 0; step < 100; ++step) { trainStep(x); probe(); }
})cpp");
  auto Hot = P.classify("probe");
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->Kind, LoopKind::Training);
}

TEST(HotPathTest, RecursionEnds) {
  Parsed P(std::string(Preamble) + R"cpp(
void a(int n);
void b(int n) { a(n - 1); probe(); }
void a(int n) { if (n) b(n); }
void f(torch::Tensor x) {
  for (int step = 0; step < 100; ++step) { a(3); x.backward(); }
})cpp");
  auto Hot = P.classify("probe");
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->CallChain.size(), 2u);
}

TEST(HotPathTest, StepCounterConditionsGate) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x, int logEvery) {
  int batch = 0;
  for (int step = 0; step < 1000; ++step) {
    x.backward();
    if (step % 100 == 0) probe();          // 0: gated
    if (step == 0) probe();                // 1: gated
    if (step < 5) probe();                 // 2: warm-up, gated
    if (!(step % 10)) probe();             // 3: gated
    if (batch++ % logEvery == 0) probe();  // 4: gated, counter incremented here
    if (step > 5) probe();                 // 5: almost always: hot
    if (step % 100 != 0) probe();          // 6: almost always: hot
    if (step % 100 == 0) {} else probe();  // 7: else branch: hot
    if (x.defined()) probe();              // 8: not about the counter: hot
    if (step % 2 == 0 && x.defined()) probe(); // 9: gated
  }
})cpp");
  for (unsigned I : {0u, 1u, 2u, 3u, 4u, 9u}) {
    auto Hot = P.classify("probe", I);
    ASSERT_TRUE(Hot) << I;
    EXPECT_TRUE(Hot->isGated()) << I;
  }
  for (unsigned I : {5u, 6u, 7u, 8u}) {
    auto Hot = P.classify("probe", I);
    ASSERT_TRUE(Hot) << I;
    EXPECT_FALSE(Hot->isGated()) << I;
  }
}

/// Expects every call of probe() in \p P to be gated and every call of
/// probe2() to be hot and not gated.
void expectProbeGatedAndProbe2Hot(Parsed &P) {
  auto Gated = P.callsByPlace("probe");
  auto Hot = P.callsByPlace("probe2");
  ASSERT_FALSE(Gated.empty());
  ASSERT_FALSE(Hot.empty());
  for (unsigned I = 0; I < Gated.size(); ++I) {
    auto Context = P.classify("probe", I);
    ASSERT_TRUE(Context) << "probe() " << I;
    EXPECT_TRUE(Context->isGated()) << "probe() " << I << " on line "
                                    << P.lineOf(Gated[I].front());
  }
  for (unsigned I = 0; I < Hot.size(); ++I) {
    auto Context = P.classify("probe2", I);
    ASSERT_TRUE(Context) << "probe2() " << I;
    EXPECT_FALSE(Context->isGated()) << "probe2() " << I << " on line "
                                     << P.lineOf(Hot[I].front());
  }
}

TEST(HotPathTest, NegationFlipsRareAndFrequent) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    x.backward();
    if (!step % 100) probe();          // (!step) % 100: the first step only
    if (!(step % 100)) probe();
    if (!(step % 100 != 0)) probe();
    if (!!(step % 100 == 0)) probe();
    if (!(step > 10)) probe();         // the first eleven steps
    if ((step % 100 == 0) == true) probe();
    if (!(step % 100 == 0)) probe2();  // all but every 100th step
    if (step % 100) probe2();          // nonzero on 99 steps in 100
    if (!!(step % 100)) probe2();
    if (!step % 100 == 0) probe2();    // all but the first step
    if (!(step < 5)) probe2();
    if ((step % 100 == 0) == false) probe2();
  }
})cpp");
  expectProbeGatedAndProbe2Hot(P);
}

TEST(HotPathTest, PeriodicConditionsWithNamedIntervals) {
  Parsed P(std::string(Preamble) + R"cpp(
constexpr int kLogEvery = 100;
struct Trainer {
  int evalEvery = 500;
  void run(torch::Tensor x, int every) {
    for (int step = 0; step < 1000; ++step) {
      x.backward();
      if (step % kLogEvery == kLogEvery - 1) probe();  // the last of each interval
      if ((step + 1) % every == 0) probe();
      if (step % evalEvery == 0 && step > 0) probe();
      if (step > 0 && step % every == 0) probe();
      if (step % every == 0 || step == 999) probe();
      if (kLogEvery > step) probe();                    // warm-up, written backwards
      if (step % kLogEvery != 0) probe2();
      if (step > 10) probe2();                          // all steps after warm-up
      if (step >= 1) probe2();
      // A bound that is not a constant may be the end of the run.
      if (step < every) probe2();
      if (step % every == 0 || x.defined()) probe2();
      if (step % every < 50) probe2();                 // half of the steps
    }
  }
};
void train(Trainer &t, torch::Tensor x) { t.run(x, 10); })cpp");
  expectProbeGatedAndProbe2Hot(P);
}

TEST(HotPathTest, EveryOtherStepIsGated) {
  // Halving a cost is worth as much as dividing it by a hundred is not, but
  // the author who wrote the gate chose the interval: it stays a gate.
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    x.backward();
    if (step % 2 == 0) probe();
    if (step % 2 != 0) probe2();
  }
})cpp");
  expectProbeGatedAndProbe2Hot(P);
}

TEST(HotPathTest, LocalFlagsHoldTheirCondition) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x, int every) {
  int batch = 0;
  for (int step = 0; step < 1000; ++step) {
    x.backward();
    ++batch;
    bool log = step % every == 0;
    const bool logNow = (step + 1) % every == 0;
    bool first = step == 0;
    bool batchLog = batch % 100 == 0;     // a counter incremented in the loop
    int phase = step % every;
    bool both = log && x.defined();       // a flag made of a flag
    if (log) probe();
    if (logNow) probe();
    if (first && x.defined()) probe();
    if (batchLog) probe();
    if (phase == 0) probe();
    if (both) probe();
    if (bool eval = step % 500 == 0) probe();
    for (int i = 0; i < 3; ++i)
      if (log) probe();                   // the inner loop does not move step
    auto later = [=] { if (log) probe(); };
    later();
    if (!log) probe2();
    if (phase != 0) probe2();
    bool reassigned = step % every == 0;
    if (x.defined())
      reassigned = true;
    if (reassigned) probe2();
    bool aliased = step % every == 0;
    bool &alias = aliased;
    alias = x.defined();
    if (aliased) probe2();
    bool unrelated = x.defined();
    if (unrelated) probe2();
  }
}
void stale(torch::Tensor x) {
  // Initialized once, before the loop that moves the counter: on every step
  // it still says what it said on the first.
  int step = 0;
  bool first = step == 0;
  for (int i = 0; i < 1000; ++i) {
    ++step;
    x.backward();
    if (first) probe2();
  }
  // Initialized on each epoch, read on each step of the epoch.
  int seen = 0;
  for (int epoch = 0; epoch < 10; ++epoch) {
    bool start = seen % 100 == 0;
    for (int i = 0; i < 100; ++i) {
      ++seen;
      x.backward();
      if (start) probe2();
    }
  }
})cpp");
  expectProbeGatedAndProbe2Hot(P);
}

TEST(HotPathTest, FlagsInHelpersFollowTheCounterParameter) {
  Parsed P(std::string(Preamble) + R"cpp(
void logEvery(int step, torch::Tensor x) {
  const bool log = step % 50 == 0;
  if (log) probe();
  if (!log) probe2();
}
void f(torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    x.backward();
    logEvery(step, x);
  }
})cpp");
  expectProbeGatedAndProbe2Hot(P);
}

TEST(HotPathTest, RareAndFrequentConditionsAreDuals) {
  // Each condition, over the counter `step`: rare, frequent, or neither.
  struct Case {
    const char *Cond;
    bool Rare;
    bool Frequent;
  };
  const Case Cases[] = {
      {"step % every == 0", true, false},
      {"step % every != 0", false, true},
      {"step % every", false, true},
      {"!(step % every)", true, false},
      {"!(step % every == 0)", false, true},
      {"!(step % every != 0)", true, false},
      {"!step % every", true, false},
      {"!step % every == 0", false, true},
      {"!step % every != 0", true, false},
      {"step == 0", true, false},
      {"step != 0", false, true},
      {"step", false, true},
      {"!step", true, false},
      {"step < 5", true, false},
      {"step > 5", false, true},
      {"step < every", false, false},
      {"step % every == 0 && other", true, false},
      {"step % every != 0 && step > 5", false, true},
      {"step % every == 0 || step == 7", true, false},
      {"step % every == 0 || other", false, false},
      {"step % every != 0 || other", false, true},
      {"other", false, false},
      {"(step % every == 0) == false", false, true},
      {"(step % every != 0) == 0", true, false},
  };
  std::string Code = "void f(int step, int every, bool other) {\n";
  for (const Case &C : Cases)
    Code += std::string("  if (") + C.Cond + ") {}\n";
  Code += "}\n";
  auto AST = parseWithMocks("", Code);
  ASTContext &Ctx = AST->getASTContext();
  auto Step = match(parmVarDecl(hasName("step")).bind("p"), Ctx);
  ASSERT_EQ(Step.size(), 1u);
  llvm::SmallPtrSet<const VarDecl *, 1> Counters = {
      Step[0].getNodeAs<VarDecl>("p")->getCanonicalDecl()};
  std::map<unsigned, const Expr *> Conds;
  for (const auto &M : match(ifStmt().bind("if"), Ctx)) {
    const auto *If = M.getNodeAs<IfStmt>("if");
    Conds[Ctx.getSourceManager().getFileOffset(If->getBeginLoc())] =
        If->getCond();
  }
  ASSERT_EQ(Conds.size(), std::size(Cases));
  unsigned I = 0;
  for (const auto &[Offset, Cond] : Conds) {
    const Case &C = Cases[I++];
    EXPECT_EQ(isRareCondition(Cond, Counters, Ctx), C.Rare) << C.Cond;
    EXPECT_EQ(isFrequentCondition(Cond, Counters, Ctx), C.Frequent) << C.Cond;
  }
}

TEST(HotPathTest, GatedCallSitesAndCounterParametersGateTheCallee) {
  Parsed P(std::string(Preamble) + R"cpp(
void rare() { probe(); }
void logEvery(int step) { if (step % 50 == 0) probe2(); }
void f(torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    x.backward();
    if (step % 100 == 0) rare();
    logEvery(step);
  }
})cpp");
  auto Rare = P.classify("probe");
  ASSERT_TRUE(Rare);
  EXPECT_TRUE(Rare->isGated());
  auto Param = P.classify("probe2");
  ASSERT_TRUE(Param);
  EXPECT_TRUE(Param->isGated());
}

TEST(HotPathTest, LambdaBodiesBelongToTheirLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
void f(torch::Tensor x, torch::optim::SGD &opt) {
  for (int step = 0; step < 10; ++step) {
    auto closure = [&] { probe(); return x; };
    closure();
    opt.step();
  }
})cpp");
  EXPECT_TRUE(P.classify("probe"));
}

TEST(HotPathTest, AcceleratorEvidence) {
  EXPECT_TRUE(Parsed(std::string(Preamble) + "void f() {}").model().mayUseAccelerator());
  EXPECT_FALSE(Parsed(R"cpp(
torch::Device device(torch::kCPU);
void f(torch::Tensor x) { for (int i = 0; i < 3; ++i) x.backward(); })cpp")
                   .model()
                   .mayUseAccelerator());
  EXPECT_TRUE(Parsed(R"cpp(
void f(const char *name) { torch::Device device(name); })cpp")
                  .model()
                  .mayUseAccelerator())
      << "a device named at run time may be an accelerator";
  EXPECT_TRUE(Parsed(R"cpp(
void f(torch::Tensor x) { auto y = x.cuda(); })cpp")
                  .model()
                  .mayUseAccelerator());
  EXPECT_FALSE(Parsed(R"cpp(
void g(torch::Device d);
void f() { torch::Device device("cpu"); g(device); torch::Device copy = device; })cpp")
                   .model()
                   .mayUseAccelerator());
}

/// Whether the model of \p Code, parsed alone, lets a tensor be on an
/// accelerator.
bool mayUseAccelerator(const std::string &Code,
                       HotPathOptions Options = HotPathOptions()) {
  setHotPathOptions(Options);
  bool Result = Parsed(Code).model().mayUseAccelerator();
  setHotPathOptions(HotPathOptions());
  return Result;
}

TEST(HotPathTest, DevicesThatComeFromElsewhereMayBeAccelerators) {
  EXPECT_TRUE(mayUseAccelerator(R"cpp(
double train_epoch(torch::optim::SGD &opt, const torch::Device &device,
                   const std::vector<torch::Tensor> &xs) {
  double total = 0;
  for (const auto &x : xs) {
    auto in = x.to(device);
    in.backward();
    opt.step();
    total += in.item<double>();
  }
  return total;
})cpp"))
      << "a parameter of a function nothing here calls: main.cpp chose it";
  EXPECT_FALSE(mayUseAccelerator(R"cpp(
void step(torch::Tensor x, const torch::Device &device) { x.to(device); }
void run(torch::Tensor x) { step(x, torch::Device(torch::kCPU)); })cpp"))
      << "every caller is here and passes the CPU";
  EXPECT_TRUE(mayUseAccelerator(R"cpp(
struct Step { virtual void run(torch::Tensor x, torch::Device d) { x.to(d); } };
void use(Step &s, torch::Tensor x) { s.run(x, torch::kCPU); })cpp"))
      << "a virtual method may be called through its base, from anywhere";
  EXPECT_TRUE(mayUseAccelerator(R"cpp(
struct Config { torch::Device device; };
void f(const Config &config, torch::Tensor x) { x.to(config.device); })cpp"))
      << "an aggregate is filled in by whoever makes it";
  EXPECT_FALSE(mayUseAccelerator(R"cpp(
class Trainer {
public:
  explicit Trainer(torch::Device device) : device_(device) {}
  void fit(torch::Tensor x) { x.to(device_); }
private:
  torch::Device device_;
};
void f(torch::Tensor x) { Trainer(torch::Device(torch::kCPU)).fit(x); })cpp"))
      << "the member's only constructor is here, and it is given the CPU";
  EXPECT_TRUE(mayUseAccelerator(R"cpp(
class Trainer {
public:
  explicit Trainer(torch::Device device);
  void fit(torch::Tensor x) { x.to(device_); }
private:
  torch::Device device_;
};)cpp"))
      << "the constructor that sets the member is in another file";
  EXPECT_TRUE(mayUseAccelerator(R"cpp(
extern torch::Device device;
void f(torch::Tensor x) { x.to(device); })cpp"))
      << "a global of another file";
  EXPECT_TRUE(mayUseAccelerator(R"cpp(
torch::Device pickDevice();
void f(torch::Tensor x) { x.to(pickDevice()); })cpp"))
      << "a function of another file returns it";
  EXPECT_FALSE(mayUseAccelerator(R"cpp(
torch::Device pickDevice() { return torch::Device(torch::kCPU); }
void f(torch::Tensor x) { x.to(pickDevice()); })cpp"))
      << "the function is here, and returns the CPU";
  EXPECT_FALSE(mayUseAccelerator(R"cpp(
void f(torch::Tensor x, torch::Tensor y) { x.to(y.device()); })cpp"))
      << "a tensor's own device names none of its own";
  EXPECT_FALSE(mayUseAccelerator(R"cpp(
void f(torch::Tensor x) { x.to(torch::kFloat); x.item<float>(); })cpp"))
      << "a dtype names no device";
}

TEST(HotPathTest, TheAcceleratorOptionOverridesTheCode) {
  HotPathOptions Never;
  Never.Accelerator = AcceleratorAssumption::Never;
  EXPECT_FALSE(mayUseAccelerator(
      "void f(torch::Tensor x) { x.cuda(); }", Never));
  HotPathOptions Always;
  Always.Accelerator = AcceleratorAssumption::Always;
  EXPECT_TRUE(mayUseAccelerator("void f(torch::Tensor x) { x.cpu(); }", Always));
  EXPECT_EQ(parseAcceleratorAssumption("auto"), AcceleratorAssumption::Auto);
  EXPECT_EQ(parseAcceleratorAssumption("sometimes"), std::nullopt);
}

TEST(HotPathTest, DeviceWorkPassedToAFunctionOfAnotherFileMakesACudaStepLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
void forward_step(float *weights, float *batch, cudaStream_t stream);
void copy_in(float *dst, const float *src);
void f(const float *host, int steps) {
  float *weights = nullptr;
  float *batch = nullptr;
  cudaMalloc((void **)&weights, 1024);
  cudaMalloc((void **)&batch, 1024);
  cudaStream_t stream;
  for (int step = 0; step < steps; ++step) {
    forward_step(weights, batch, stream);
    cudaStreamSynchronize(stream);
  }
  float *buffers[4];
  for (int i = 0; i < 4; ++i) {
    cudaMalloc((void **)&buffers[i], 64);
    cudaMemcpy(buffers[i], host, 64, cudaMemcpyHostToDevice);
  }
})cpp",
           /*Cuda=*/true);
  auto Hot = P.classify("cudaStreamSynchronize");
  ASSERT_TRUE(Hot) << "device memory and a stream go to a function elsewhere";
  EXPECT_EQ(Hot->Kind, LoopKind::CudaStep);
  EXPECT_FALSE(P.classify("cudaMemcpy"))
      << "a setup loop that allocates and copies per buffer launches nothing";
}

TEST(HotPathTest, AnEpochLoopThatLaunchesAroundABatchLoopIsNotAStepLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
__global__ void zero_grads(float *g);
__global__ void train_batch(float *g, int b);
void f(float *grads, int epochs, int batches) {
  for (int epoch = 0; epoch < epochs; ++epoch) {
    zero_grads<<<1, 32>>>(grads);
    for (int b = 0; b < batches; ++b) {
      train_batch<<<1, 32>>>(grads, b);
      probe();
    }
    cudaDeviceSynchronize();
  }
})cpp",
           /*Cuda=*/true);
  auto Batch = P.classify("probe");
  ASSERT_TRUE(Batch);
  EXPECT_EQ(Batch->Kind, LoopKind::CudaStep);
  EXPECT_EQ(P.lineOf(Batch->Loop), 11u) << "the batch loop is the step loop";
  EXPECT_FALSE(P.classify("cudaDeviceSynchronize"))
      << "once per epoch, after the batch loop";
}

TEST(HotPathTest, AProjectRunDefersWhatOnlyTheProjectDecides) {
  HotPathOptions Project;
  Project.ProjectRun = true;
  setHotPathOptions(Project);
  Parsed P(std::string(Preamble) + R"cpp(
void helper() { probe(); }
double train_step(torch::Tensor x);
void f(torch::Tensor x, torch::optim::SGD &opt) {
  for (int i = 0; i < 10; ++i) {
    x.backward();
    opt.step();
    probe2();
    helper();
  }
  for (int i = 0; i < 10; ++i)
    train_step(x);
})cpp");
  P.model(); // built with the options of a project run
  setHotPathOptions(HotPathOptions());
  auto Local = P.classify("probe2");
  ASSERT_TRUE(Local);
  EXPECT_FALSE(Local->Deferred) << "a step loop of its own function decides";
  auto Helper = P.classify("probe");
  ASSERT_TRUE(Helper);
  ASSERT_TRUE(Helper->Deferred) << "a caller in another file may be hotter";
  EXPECT_EQ(Helper->Kind, LoopKind::Undecided);
  EXPECT_FALSE(Helper->Deferred->NeedsAccelerator);
  auto Undecided = P.classify("train_step");
  ASSERT_TRUE(Undecided) << "train_step may train, as its own file shows";
  ASSERT_TRUE(Undecided->Deferred);
  EXPECT_EQ(Undecided->Deferred->At.Loop, 1);
  auto Note = decodeDeferredNote(encodeDeferredNote(*Undecided->Deferred));
  ASSERT_TRUE(Note);
  EXPECT_EQ(Note->Function, Undecided->Deferred->Function);
  EXPECT_EQ(Note->At.Loop, 1);
}

TEST(HotPathTest, EpochLoopsEncloseATrainingLoop) {
  Parsed P(std::string(Preamble) + R"cpp(
void trainEpoch(torch::Tensor x) {
  for (int step = 0; step < 100; ++step) x.backward();
}
void evalEpoch(torch::nn::Linear &m, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) m->forward(x);
}
void f(torch::Tensor x, torch::nn::Linear &m) {
  for (int fold = 0; fold < 5; ++fold) {
    probe();
    for (int epoch = 0; epoch < 3; ++epoch) {
      probe();
      for (int step = 0; step < 100; ++step) {
        for (int k = 0; k < 4; ++k) probe();
        x.backward();
      }
    }
  }
  for (int epoch = 0; epoch < 3; ++epoch) { probe(); trainEpoch(x); }
  for (int epoch = 0; epoch < 3; ++epoch) { probe(); evalEpoch(m, x); }
  for (int i = 0; i < 3; ++i) probe();
})cpp");
  auto Probes = P.callsByPlace("probe");
  ASSERT_EQ(Probes.size(), 6u);
  auto innermost = [&](unsigned N) {
    return P.model().enclosingLoops(*Probes[N].front()).front();
  };
  EXPECT_TRUE(P.model().isEpochLoop(*innermost(0))) << "the fold loop";
  EXPECT_TRUE(P.model().isEpochLoop(*innermost(1))) << "the epoch loop";
  EXPECT_FALSE(P.model().isEpochLoop(*innermost(2)))
      << "nested in the step loop: part of the step";
  EXPECT_FALSE(P.model().isEpochLoop(
      *P.model().enclosingLoops(*Probes[2].front())[1]))
      << "the step loop itself";
  EXPECT_TRUE(P.model().isEpochLoop(*innermost(3)))
      << "trains through the function it calls";
  EXPECT_FALSE(P.model().isEpochLoop(*innermost(4)))
      << "around an evaluation loop only";
  EXPECT_FALSE(P.model().isEpochLoop(*innermost(5))) << "trains nothing";
}

TEST(HotPathTest, GuardsThatTheirBranchTurnsOffAreLazyInitialization) {
  Parsed P(std::string(Preamble) + R"cpp(
void use(float *);
struct Cache { float *buf = nullptr; size_t cap = 0; };
float *global = nullptr;
void ensure(Cache &c, size_t n) {
  if (n > c.cap) { probe(); c.cap = n; }
}
void ensureByValue(size_t cap, size_t n) {
  if (n > cap) { probe(); cap = n; }
}
void f(torch::Tensor x, size_t n) {
  float *buf = nullptr;
  bool first = true;
  for (int step = 0; step < 100; ++step) {
    if (!buf) { probe(); cudaMalloc((void **)&buf, n); }
    if (first) { probe(); first = false; }
    if (!global) probe();
    float *local = nullptr;
    if (!local) { probe(); cudaMalloc((void **)&local, n); }
    Cache fresh;
    if (!fresh.buf) { probe(); fresh.buf = local; }
    if (n > 0) { probe(); use(buf); }
    x.backward();
  }
})cpp");
  auto Probes = P.callsByPlace("probe");
  ASSERT_EQ(Probes.size(), 8u);
  auto guarded = [&](unsigned N) {
    const CallExpr *Call = Probes[N].front();
    auto Loops = P.model().enclosingLoops(*Call);
    return P.model().isGuardedInit(*Call, Loops.empty() ? nullptr
                                                        : Loops.front());
  };
  EXPECT_TRUE(guarded(0)) << "a member of a reference parameter, grown";
  EXPECT_FALSE(guarded(1)) << "a by-value parameter is fresh on each call";
  EXPECT_TRUE(guarded(2)) << "allocated once, through its address";
  EXPECT_TRUE(guarded(3)) << "a first-time flag the branch clears";
  EXPECT_FALSE(guarded(4)) << "the branch does not write the global";
  EXPECT_FALSE(guarded(5)) << "a local of the loop is null on every step";
  EXPECT_FALSE(guarded(6)) << "a member of a local object of the loop";
  EXPECT_FALSE(guarded(7)) << "the branch writes nothing its condition reads";
}

} // namespace

TEST(HotPathTest, WhatALoopDoesBesidesTrainingAndWhereGradientsAreOff) {
  Parsed P(std::string(Preamble) + R"cpp(
void evaluate(torch::nn::Linear &model, torch::Tensor x);
void train(torch::nn::Linear &model, torch::optim::SGD &opt, torch::Tensor x) {
  for (int i = 0; i < 10; ++i) {
    opt.zero_grad();
    model(x).backward();
    torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
    opt.step();
  }
  for (int i = 0; i < 10; ++i) { model(x).backward(); opt.step(); }
  for (int i = 0; i < 10; ++i) { model(x).backward(); opt.step(); probe(); }
  {
    torch::NoGradGuard no_grad;
    evaluate(model, x);
  }
  evaluate(model, x);
})cpp");
  auto Loops = match(forStmt(hasAncestor(functionDecl(hasName("train")))).bind("l"),
                     P.context());
  ASSERT_EQ(Loops.size(), 3u);
  std::vector<const Stmt *> L;
  for (const auto &M : Loops)
    L.push_back(M.getNodeAs<Stmt>("l"));
  llvm::sort(L, [&](const Stmt *A, const Stmt *B) { return P.lineOf(A) < P.lineOf(B); });
  const HotPathModel &Model = P.model();
  EXPECT_EQ(Model.signalsIn(*L[0]), unsigned(ZeroGradSignal | BackwardSignal | ClipGradSignal |
                                             StepSignal | ForwardSignal));
  EXPECT_FALSE(Model.lacks(L[0], nullptr, TrainingSignals, ZeroGradSignal))
      << "the first loop clears its gradients";
  auto Lacks = Model.lacks(L[1], nullptr, TrainingSignals, ZeroGradSignal);
  ASSERT_TRUE(Lacks) << "the second loop never clears them";
  EXPECT_FALSE(Lacks->Deferred) << "the unit decides: the loop calls nothing unknown";
  EXPECT_FALSE(Model.lacks(L[2], nullptr, TrainingSignals, ZeroGradSignal))
      << "probe() is defined elsewhere and may clear them";
  EXPECT_TRUE(Model.signalsIn(*L[2]) & OpaqueCallSignal);

  auto Evaluate = match(functionDecl(hasName("evaluate")).bind("f"), P.context());
  ASSERT_FALSE(Evaluate.empty());
  auto [Calls, AllKnown] = Model.callsTo(*Evaluate[0].getNodeAs<FunctionDecl>("f"));
  ASSERT_EQ(Calls.size(), 2u);
  EXPECT_TRUE(Calls[0].UnderNoGrad) << "the guard's block";
  EXPECT_FALSE(Calls[1].UnderNoGrad) << "after the block ends";
  EXPECT_FALSE(AllKnown) << "evaluate() may be called from other files";
}
