// What the loops that the torch-loop-* checks flag cost on the CPU, next to
// their rewrites. Each check's page cites a ratio from this table, so each
// pair below computes the same result both ways (checked before timing), and
// the loop around it is the same length N in both.
//
// Times are the CPU time of one loop of N iterations, the median of several
// timed rounds after a few warm-up rounds, on one intra-op thread: the
// per-element patterns cost operator dispatch, not arithmetic, and more
// threads only add noise on a shared machine. The growth column is the slow
// time at N over the slow time at N/4: about 4 for a loop whose cost is linear
// in N, up to 16 for one that is quadratic.
//
//   loop-patterns [ROUNDS]     (default 15)

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

constexpr int64_t Lengths[] = {64, 256, 1024, 4096};
int Rounds = 15;
constexpr int WarmupRounds = 2;
// A round shorter than this is noise on a shared machine: tiny loops are run
// back to back until a round lasts this long, and divided.
constexpr double MinRoundSeconds = 10e-3;

// Results land here so that no loop's work is dead.
volatile double DoubleSink;
torch::Tensor TensorSink;

void keep(double Value) { DoubleSink = Value; }
void keep(int64_t Value) { DoubleSink = static_cast<double>(Value); }
void keep(const torch::Tensor &Value) { TensorSink = Value; }
// Freeing a result is part of the cost of the loop that made it (the
// per-sample forward's result holds N autograd nodes), so each round frees
// its last result before its clock stops, and no round frees another's.
void release() { TensorSink = torch::Tensor(); }

double secondsSince(std::chrono::steady_clock::time_point Start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
      .count();
}

// The CPU time of this thread, which does all the work with one intra-op
// thread. Unlike the wall time, it leaves out the time the thread waited for
// a core that another process held.
double threadSeconds() {
  timespec Now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &Now);
  return static_cast<double>(Now.tv_sec) +
         1e-9 * static_cast<double>(Now.tv_nsec);
}

/// How many calls of \p Body make a round long enough to time.
template <typename Fn> int64_t callsPerRound(Fn &Body) {
  for (int64_t Calls = 1;; Calls *= 2) {
    double Start = threadSeconds();
    for (int64_t I = 0; I < Calls; ++I)
      keep(Body());
    release();
    if (threadSeconds() - Start >= MinRoundSeconds)
      return Calls;
  }
}

/// The time of one call of \p Body, in seconds, over a round of \p Calls.
template <typename Fn> double roundSeconds(Fn &Body, int64_t Calls) {
  double Start = threadSeconds();
  for (int64_t I = 0; I < Calls; ++I)
    keep(Body());
  release();
  return (threadSeconds() - Start) / static_cast<double>(Calls);
}

double median(std::vector<double> Times) {
  auto Middle = Times.begin() + static_cast<std::ptrdiff_t>(Times.size() / 2);
  std::nth_element(Times.begin(), Middle, Times.end());
  return *Middle;
}

/// The median times of one call of \p Slow and of \p Fast, in seconds. Their
/// rounds alternate, so that a change in the machine's load in the middle of
/// the measurement falls on both.
template <typename SlowFn, typename FastFn>
std::pair<double, double> medianSeconds(SlowFn &Slow, FastFn &Fast) {
  for (int I = 0; I < WarmupRounds; ++I) {
    keep(Slow());
    keep(Fast());
  }
  release();
  int64_t SlowCalls = callsPerRound(Slow);
  int64_t FastCalls = callsPerRound(Fast);
  std::vector<double> SlowTimes, FastTimes;
  for (int R = 0; R < Rounds; ++R) {
    SlowTimes.push_back(roundSeconds(Slow, SlowCalls));
    FastTimes.push_back(roundSeconds(Fast, FastCalls));
  }
  return {median(SlowTimes), median(FastTimes)};
}

bool agree(double Slow, double Fast) {
  return std::abs(Slow - Fast) <= 1e-4 * std::max(1.0, std::abs(Fast));
}
bool agree(int64_t Slow, int64_t Fast) { return Slow == Fast; }
bool agree(const torch::Tensor &Slow, const torch::Tensor &Fast) {
  return Slow.sizes() == Fast.sizes() &&
         torch::allclose(Slow, Fast, /*rtol=*/1e-4, /*atol=*/1e-5);
}

struct Row {
  std::string Pattern;
  int64_t N;
  double Slow, Fast;
};
std::vector<Row> Rows;

/// Times \p Slow against \p Fast, two ways of computing the same result over
/// a loop of \p N, after checking with \p Same that they do.
template <typename SlowFn, typename FastFn, typename SameFn>
void measure(const std::string &Pattern, int64_t N, SlowFn Slow, FastFn Fast,
             SameFn Same) {
  if (!Same(Slow(), Fast())) {
    std::fprintf(stderr, "loop-patterns: %s, N=%lld: the two loops disagree\n",
                 Pattern.c_str(), static_cast<long long>(N));
    std::exit(1);
  }
  auto [SlowTime, FastTime] = medianSeconds(Slow, Fast);
  Rows.push_back({Pattern, N, SlowTime, FastTime});
}

template <typename SlowFn, typename FastFn>
void measure(const std::string &Pattern, int64_t N, SlowFn Slow, FastFn Fast) {
  measure(Pattern, N, Slow, Fast,
          [](const auto &A, const auto &B) { return agree(A, B); });
}

// 1. Per-element: one indexing, one operator and one host read per element,
// against one operator over the whole tensor.
void perElement(int64_t N) {
  auto T = torch::rand({N});
  measure(
      "per-element sum (item)", N,
      [&] {
        double Sum = 0;
        for (int64_t I = 0; I < N; ++I)
          Sum += T[I].item<float>();
        return Sum;
      },
      [&] { return static_cast<double>(T.sum().item<float>()); });

  measure(
      "per-element write", N,
      [&] {
        auto Out = torch::empty({N});
        for (int64_t I = 0; I < N; ++I)
          Out[I] = T[I] * 2;
        return Out;
      },
      [&] { return T * 2; });

  auto Pred = torch::randint(10, {N}, torch::kLong);
  auto Label = torch::randint(10, {N}, torch::kLong);
  measure(
      "per-element count (item)", N,
      [&] {
        int64_t Correct = 0;
        for (int64_t I = 0; I < N; ++I)
          if (Pred[I].item<int64_t>() == Label[I].item<int64_t>())
            ++Correct;
        return Correct;
      },
      [&] { return Pred.eq(Label).sum().item<int64_t>(); });
}

// 2. Cat-accumulate: each torch::cat copies everything gathered so far, so
// the loop copies N^2/2 parts. A part is one row of 64 floats, one sample's
// outputs.
void catAccumulate(int64_t N) {
  std::vector<torch::Tensor> Parts;
  Parts.reserve(N);
  for (int64_t I = 0; I < N; ++I)
    Parts.push_back(torch::rand({1, 64}));
  measure(
      "cat-accumulate", N,
      [&] {
        auto All = torch::empty({0, 64});
        for (int64_t I = 0; I < N; ++I)
          All = torch::cat({All, Parts[I]});
        return All;
      },
      [&] {
        std::vector<torch::Tensor> Gathered;
        Gathered.reserve(N);
        for (int64_t I = 0; I < N; ++I)
          Gathered.push_back(Parts[I]);
        return torch::cat(Gathered);
      });
}

// 3. Invariant tensor: a constant built (allocated and filled) on every
// iteration, against built once before the loop.
void invariantTensor(int64_t N) {
  measure(
      "invariant ones({64,64})", N,
      [&] {
        auto Acc = torch::zeros({64, 64});
        for (int64_t I = 0; I < N; ++I)
          Acc.add_(torch::ones({64, 64}));
        return Acc;
      },
      [&] {
        auto Acc = torch::zeros({64, 64});
        auto Ones = torch::ones({64, 64});
        for (int64_t I = 0; I < N; ++I)
          Acc.add_(Ones);
        return Acc;
      });

  auto X = torch::rand({64});
  measure(
      "invariant arange(64)", N,
      [&] {
        auto Acc = torch::zeros({64});
        for (int64_t I = 0; I < N; ++I)
          Acc.add_(X * torch::arange(64, torch::kFloat));
        return Acc;
      },
      [&] {
        auto Acc = torch::zeros({64});
        auto Positions = torch::arange(64, torch::kFloat);
        for (int64_t I = 0; I < N; ++I)
          Acc.add_(X * Positions);
        return Acc;
      });
}

// 4. Per-sample forward: N calls of the module on one sample each, against
// one call on the batch. Autograd records, as in a training step.
void perSampleForward(int64_t N) {
  torch::nn::Linear Model(64, 16);
  auto Batch = torch::rand({N, 64});
  measure(
      "per-sample forward", N,
      [&] {
        std::vector<torch::Tensor> Outputs;
        Outputs.reserve(N);
        for (int64_t I = 0; I < N; ++I)
          Outputs.push_back(Model->forward(Batch[I]));
        return torch::stack(Outputs);
      },
      [&] { return Model->forward(Batch); });
}

// 5. A random scalar drawn through a one-element tensor: a tensor's
// allocation, the generator's lock and a host read, for one number.
void randomScalar(int64_t N) {
  // The draws differ, so the loops agree when both means are plausible for N
  // uniform draws (more than 5 standard deviations off for N = 64 fails).
  auto Plausible = [](double Slow, double Fast) {
    return std::abs(Slow - 0.5) < 0.2 && std::abs(Fast - 0.5) < 0.2;
  };
  auto TensorDraws = [&] {
    double Sum = 0;
    for (int64_t I = 0; I < N; ++I)
      Sum += torch::rand(1).item<double>();
    return Sum / static_cast<double>(N);
  };
  // A fixed seed, as for libtorch's generator: the same draws on every run.
  std::mt19937 Engine(0); // NOLINT(bugprone-random-generator-seed)
  std::uniform_real_distribution<double> Uniform(0.0, 1.0);
  measure(
      "rand(1).item vs <random>", N, TensorDraws,
      [&] {
        double Sum = 0;
        for (int64_t I = 0; I < N; ++I)
          Sum += Uniform(Engine);
        return Sum / static_cast<double>(N);
      },
      Plausible);
  measure(
      "rand(1).item vs rand({N})", N, TensorDraws,
      [&] {
        auto Draws = torch::rand({N}, torch::kDouble);
        auto Each = Draws.accessor<double, 1>();
        double Sum = 0;
        for (int64_t I = 0; I < N; ++I)
          Sum += Each[I];
        return Sum / static_cast<double>(N);
      },
      Plausible);
}

void printTable() {
  // A function measures several patterns for each N: group the rows by
  // pattern, in the order the patterns first appear.
  std::vector<std::string> Patterns;
  for (const Row &R : Rows)
    if (std::find(Patterns.begin(), Patterns.end(), R.Pattern) ==
        Patterns.end())
      Patterns.push_back(R.Pattern);

  std::printf("%-28s %5s %12s %12s %9s %7s\n", "pattern", "N", "slow (us)",
              "fast (us)", "slow/fast", "growth");
  for (const std::string &Pattern : Patterns) {
    if (Pattern != Patterns.front())
      std::printf("\n");
    const Row *Quarter = nullptr;
    for (const Row &R : Rows) {
      if (R.Pattern != Pattern)
        continue;
      std::printf("%-28s %5lld %12.1f %12.1f %9.1f", R.Pattern.c_str(),
                  static_cast<long long>(R.N), R.Slow * 1e6, R.Fast * 1e6,
                  R.Slow / R.Fast);
      if (Quarter && Quarter->N * 4 == R.N)
        std::printf(" %7.1f\n", R.Slow / Quarter->Slow);
      else
        std::printf(" %7s\n", "-");
      Quarter = &R;
    }
  }
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc > 1) {
    char *End = nullptr;
    long Value = std::strtol(Argv[1], &End, 10);
    if (*End != '\0' || Value < 1 || Value > 1000) {
      std::fprintf(stderr, "usage: loop-patterns [ROUNDS]  (1 to 1000)\n");
      return 2;
    }
    Rounds = static_cast<int>(Value);
  }
  torch::set_num_threads(1);
  torch::manual_seed(0);
  std::printf("libtorch %s, 1 intra-op thread, %u hardware threads, median of "
              "%d rounds after %d warm-up rounds; CPU time per loop of N\n\n",
              TORCH_VERSION, std::thread::hardware_concurrency(), Rounds,
              WarmupRounds);

  auto Start = std::chrono::steady_clock::now();
  for (auto *Pattern : {perElement, catAccumulate, invariantTensor,
                        perSampleForward, randomScalar})
    for (int64_t N : Lengths)
      Pattern(N);

  printTable();
  std::printf("\ngrowth: slow time at N over slow time at N/4 (4: linear in N; "
              "16: quadratic)\ntotal %.1f s (wall)\n",
              secondsSince(Start));
  return 0;
}
