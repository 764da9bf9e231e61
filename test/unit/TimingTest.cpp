// The "does this loop time itself" rule shared by the explicit-sync checks.

#include "model/Timing.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "MockAST.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

/// Parses \p Code after the mock libtorch and CUDA headers and the C and
/// C++ clocks.
class Parsed {
public:
  explicit Parsed(const std::string &Code)
      : AST(parseWithMocks("#include <torch/torch.h>\n#include <cuda_runtime.h>\n"
                           "#include <chrono>\n#include <ctime>\n"
                           "#include <sys/time.h>\n",
                           Code)) {}

  ASTContext &context() { return AST->getASTContext(); }

  /// The loop of the function \p Function (its first, outermost one).
  const Stmt *loopOf(llvm::StringRef Function) {
    auto Matches = match(
        stmt(anyOf(forStmt(), cxxForRangeStmt(), whileStmt(), doStmt()),
             hasAncestor(functionDecl(hasName(Function))),
             unless(hasAncestor(
                 stmt(anyOf(forStmt(), cxxForRangeStmt(), whileStmt(),
                            doStmt())))))
            .bind("loop"),
        context());
    EXPECT_EQ(Matches.size(), 1u) << "one outer loop in " << Function.str();
    return Matches.empty() ? nullptr : Matches[0].getNodeAs<Stmt>("loop");
  }

  bool timesItself(llvm::StringRef Function) {
    const Stmt *Loop = loopOf(Function);
    return Loop && loopTimesItself(*Loop, context());
  }

  /// Whether the one call in function \p Function is a timing call.
  bool isTiming(llvm::StringRef Function) {
    auto Matches =
        match(callExpr(hasAncestor(functionDecl(hasName(Function))))
                  .bind("call"),
              context());
    EXPECT_EQ(Matches.size(), 1u) << "one call in " << Function.str();
    if (Matches.empty())
      return false;
    return isTimingCall(*Matches[0].getNodeAs<CallExpr>("call"));
  }

private:
  std::unique_ptr<ASTUnit> AST;
};

TEST(TimingTest, RecognisesClocksAndElapsedTimes) {
  Parsed P(R"cpp(
namespace mylib { double clock(); }
struct Clock { static double now(); };
void steady() { std::chrono::steady_clock::now(); }
void system() { std::chrono::system_clock::now(); }
void highResolution() { std::chrono::high_resolution_clock::now(); }
void posix(timespec *ts) { clock_gettime(CLOCK_MONOTONIC, ts); }
void tod(timeval *tv) { gettimeofday(tv, nullptr); }
void cClock() { clock(); }
void stdClock() { std::clock(); }
void runtimeEvents(float *ms, cudaEvent_t a, cudaEvent_t b) {
  cudaEventElapsedTime(ms, a, b);
}
void atEvents(at::cuda::CUDAEvent &a, at::cuda::CUDAEvent &b) {
  a.elapsed_time(b);
}
void c10Events(c10::Event &a, c10::Event &b) { a.elapsedTime(b); }
void ownClock() { Clock::now(); }
void ownNamespace() { mylib::clock(); }
void wallSeconds() { time(nullptr); }
void record(cudaEvent_t a) { cudaEventRecord(a); }
)cpp");
  EXPECT_TRUE(P.isTiming("steady"));
  EXPECT_TRUE(P.isTiming("system"));
  EXPECT_TRUE(P.isTiming("highResolution"));
  EXPECT_TRUE(P.isTiming("posix"));
  EXPECT_TRUE(P.isTiming("tod"));
  EXPECT_TRUE(P.isTiming("cClock"));
  EXPECT_TRUE(P.isTiming("stdClock"));
  EXPECT_TRUE(P.isTiming("runtimeEvents"));
  EXPECT_TRUE(P.isTiming("atEvents"));
  EXPECT_TRUE(P.isTiming("c10Events"));
  EXPECT_FALSE(P.isTiming("ownClock")) << "a user's class is no std clock";
  EXPECT_FALSE(P.isTiming("ownNamespace")) << "only the C library's clock()";
  EXPECT_FALSE(P.isTiming("wallSeconds")) << "whole seconds time no step";
  EXPECT_FALSE(P.isTiming("record")) << "recording an event measures nothing";
}

TEST(TimingTest, ALoopThatReadsAClockTimesItself) {
  Parsed P(R"cpp(
void work();
void inBody() {
  for (int i = 0; i < 10; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    work();
  }
}
void inCondition() {
  while (std::clock() < 100) work();
}
void inNestedLoop() {
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 2; ++j) std::chrono::steady_clock::now();
}
void inLambda() {
  for (int i = 0; i < 10; ++i) {
    auto stamp = [] { return std::chrono::steady_clock::now(); };
    stamp();
  }
}
void plain() {
  for (int i = 0; i < 10; ++i) work();
}
)cpp");
  EXPECT_TRUE(P.timesItself("inBody"));
  EXPECT_TRUE(P.timesItself("inCondition"));
  EXPECT_TRUE(P.timesItself("inNestedLoop"));
  EXPECT_TRUE(P.timesItself("inLambda"));
  EXPECT_FALSE(P.timesItself("plain"));
}

TEST(TimingTest, OnlyThePartsThatRepeatCount) {
  Parsed P(R"cpp(
void work();
std::vector<int> steps(std::chrono::steady_clock::time_point);
void forInit() {
  for (auto t0 = std::chrono::steady_clock::now(); ; ) work();
}
void rangeInit() {
  for (int s : steps(std::chrono::steady_clock::now())) work();
}
void aroundTheLoop() {
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) work();
  auto t1 = std::chrono::steady_clock::now();
}
)cpp");
  EXPECT_FALSE(P.timesItself("forInit")) << "a for-loop's init runs once";
  EXPECT_FALSE(P.timesItself("rangeInit")) << "the range is evaluated once";
  EXPECT_FALSE(P.timesItself("aroundTheLoop"))
      << "timing the whole loop needs no wait per iteration";
}

TEST(TimingTest, AClockReadEveryNStepsTimesNoStep) {
  Parsed P(R"cpp(
void gated(torch::Tensor loss) {
  for (int step = 0; step < 1000; ++step) {
    loss.backward();
    if (step % 100 == 0)
      std::chrono::steady_clock::now();
  }
}
void everyStep(torch::Tensor loss) {
  for (int step = 0; step < 1000; ++step) {
    loss.backward();
    std::chrono::steady_clock::now();
  }
}
)cpp");
  EXPECT_FALSE(P.timesItself("gated")) << "a throughput log every 100 steps";
  EXPECT_TRUE(P.timesItself("everyStep"));
}

TEST(TimingTest, HelpersOfTheUserAreFollowedAFewCallsDeep) {
  Parsed P(R"cpp(
double nowSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}
double viaOneMore() { return nowSeconds(); }
double viaTwoMore() { return viaOneMore(); }
void recursive(int n) { if (n) recursive(n - 1); }
void direct() {
  for (int i = 0; i < 10; ++i) nowSeconds();
}
void twoDeep() {
  for (int i = 0; i < 10; ++i) viaOneMore();
}
void threeDeep() {
  for (int i = 0; i < 10; ++i) viaTwoMore();
}
void recursion() {
  for (int i = 0; i < 10; ++i) recursive(i);
}
)cpp");
  EXPECT_TRUE(P.timesItself("direct"));
  EXPECT_TRUE(P.timesItself("twoDeep"));
  EXPECT_FALSE(P.timesItself("threeDeep"))
      << "deeper than MaxTimingCallDepth is not followed";
  EXPECT_FALSE(P.timesItself("recursion")) << "and recursion ends";
}

} // namespace
