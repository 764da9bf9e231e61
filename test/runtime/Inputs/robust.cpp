// A small training program that ends badly in each of its modes, for the
// runtime's robustness tests.
//
//   robust MODE [STEPS]
//     crash     a segmentation fault in step 4
//     abort     an uncaught exception in step 4
//     exit      exit(3) in step 4
//     nosteps   inference only: no backward pass, an item() per batch
//     fork      trains, forks a child that trains too, goes on training
//     threads   trains on a second thread, fed by a third that makes data
//     sleep     trains two steps, then sleeps (for the time limit)
//
// The runtime's tests name lines of this file: keep the marked lines where
// they are or update the tests.

#include <torch/torch.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

struct Trainer {
  torch::nn::Linear Model{4, 1};
  torch::optim::SGD Optimizer{Model->parameters(), 0.01};
  torch::Tensor X = torch::randn({16, 4});
  torch::Tensor Y = torch::randn({16, 1});

  float step() {
    Optimizer.zero_grad();
    auto Loss = torch::mse_loss(Model->forward(X), Y);
    Loss.backward();
    Optimizer.step();
    return Loss.item<float>(); // one item() per step
  }
};

void train(Trainer &T, int From, int To, const char *Mode) {
  for (int Step = From; Step < To; ++Step) {
    float Loss = T.step();
    std::printf("%s step %d loss %.4f\n", Mode, Step, Loss);
    std::fflush(stdout);
    if (Step == 4 && !std::strcmp(Mode, "crash")) {
      volatile int *Nowhere = nullptr;
      *Nowhere = 1;
    }
    if (Step == 4 && !std::strcmp(Mode, "abort"))
      throw std::runtime_error("a bad batch");
    if (Step == 4 && !std::strcmp(Mode, "exit"))
      std::exit(3);
  }
}

} // namespace

int main(int argc, char **argv) {
  const char *Mode = argc > 1 ? argv[1] : "exit";
  const int Steps = argc > 2 ? std::atoi(argv[2]) : 12;
  torch::manual_seed(0);
  Trainer T;

  if (!std::strcmp(Mode, "nosteps")) {
    torch::NoGradGuard NoGrad;
    float Sum = 0;
    for (int Batch = 0; Batch < Steps; ++Batch)
      Sum += T.Model->forward(T.X).mean().item<float>(); // an item() per batch
    std::printf("nosteps sum %.4f\n", Sum);
    return 0;
  }
  if (!std::strcmp(Mode, "fork")) {
    train(T, 0, 2, "parent");
    std::fflush(stdout);
    pid_t Child = fork();
    if (Child == 0) {
      Trainer Own;
      train(Own, 0, 3, "child");
      std::exit(0);
    }
    int Status = 0;
    waitpid(Child, &Status, 0);
    train(T, 2, Steps, "parent");
    return 0;
  }
  if (!std::strcmp(Mode, "threads")) {
    // A loader thread fills a one-batch slot; the training thread takes a
    // batch per step, so the loader works while the step runs.
    std::mutex Lock;
    std::condition_variable Changed;
    torch::Tensor Slot;
    bool Done = false;
    std::thread Data([&] {
      for (;;) {
        torch::Tensor Batch = torch::randn({16, 4}); // data on a thread
        std::unique_lock<std::mutex> L(Lock);
        Changed.wait(L, [&] { return !Slot.defined() || Done; });
        if (Done)
          return;
        Slot = Batch;
        Changed.notify_all();
      }
    });
    std::thread Training([&] {
      for (int Step = 0; Step < Steps; ++Step) {
        {
          std::unique_lock<std::mutex> L(Lock);
          Changed.wait(L, [&] { return Slot.defined(); });
          T.X = Slot;
          Slot = torch::Tensor();
          Changed.notify_all();
        }
        float Loss = T.step();
        std::printf("threads step %d loss %.4f\n", Step, Loss);
        std::fflush(stdout);
      }
    });
    Training.join();
    {
      std::lock_guard<std::mutex> L(Lock);
      Done = true;
    }
    Changed.notify_all();
    Data.join();
    return 0;
  }
  if (!std::strcmp(Mode, "sleep")) {
    train(T, 0, 2, "sleep");
    sleep(60);
    return 0;
  }
  train(T, 0, Steps, Mode);
  return 0;
}
