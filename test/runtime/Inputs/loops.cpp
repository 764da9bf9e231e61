// A small training program with the loop patterns that the torch-loop-*
// checks and cuda-alloc-in-loop report, each on a line of its own, next to
// forms that must not be confirmed.
//
//   loops [STEPS]
//
// It calls the CUDA runtime's allocator through a fake shared libcudart
// (fakecudart/), so that the runtime's interposition is tested without a
// GPU. The runtime's tests name lines of this file: keep the marked lines
// where they are or update the tests.

#include <torch/torch.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

extern "C" int cudaMalloc(void **Ptr, size_t Size);
extern "C" int cudaFree(void *Ptr);

int main(int argc, char **argv) {
  const int Steps = argc > 1 ? std::atoi(argv[1]) : 12;
  torch::manual_seed(0);
  torch::nn::Linear Model(4, 1);
  torch::optim::SGD Optimizer(Model->parameters(), 0.01);
  auto X = torch::randn({16, 4});
  auto Y = torch::randn({16, 1});
  auto History = torch::zeros({0, 1});
  auto Scale = torch::full({16, 1}, 0.5); // created once, before the loop

  for (int Step = 0; Step < Steps; ++Step) {
    Optimizer.zero_grad();
    auto Out = Model->forward(X);
    auto Loss = torch::mse_loss(Out, Y);
    Loss.backward();
    Optimizer.step();
    History = torch::cat({History, Out.detach()}); // grows
    auto Batch = torch::cat({Out.detach(), Out.detach()}); // the same size
    float Sum = 0;
    for (int64_t I = 0; I < 16; ++I)
      Sum += Out[I][0].item<float>(); // one element at a time
    float First = Out[0][0].item<float>(); // one element a step
    auto Ones = torch::ones({16, 16}); // the same tensor every step
    auto Scaled = Out.detach() * Scale; // the tensor made before the loop
    void *Scratch = nullptr;
    cudaMalloc(&Scratch, 1 << 20); // a scratch buffer every step
    cudaFree(Scratch);
    (void)Batch;
    (void)Ones;
    (void)Scaled;
    if (Step == 0 || Step + 1 == Steps)
      std::printf("step %d loss %.4f rows %lld sum %.3f first %.3f\n", Step,
                  Loss.item<float>(), static_cast<long long>(History.size(0)),
                  Sum, First);
  }
  return 0;
}
