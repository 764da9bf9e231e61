// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-explicit %t

// The genuine libtorch headers: the names the check matches must exist there.
// c10/cuda/CUDAStream.h needs the CUDA toolkit's headers, so the streams seen
// here are c10::Stream, which every libtorch has.

#include <torch/cuda.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  torch::Device device(torch::kCUDA, 0);
  c10::Stream stream(c10::Stream::DEFAULT, device);
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
    torch::cuda::synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::cuda::synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the training loop; remove it, or order the work on the device with an event ('record()', then 'block()' on the waiting stream) [torch-sync-explicit]
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: training loop starts here
    stream.synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'Stream::synchronize()' blocks the host until the work queued on the stream has finished, on every iteration of the training loop

    // Every 100 steps: amortized, silent.
    if (step % 100 == 0)
      torch::cuda::synchronize();
  }
}

// A loop that reads a clock times its steps: silent.
void benchmark(torch::nn::Linear &model, torch::optim::SGD &optimizer,
               torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    auto start = std::chrono::steady_clock::now();
    model->forward(x).sum().backward();
    optimizer.step();
    torch::cuda::synchronize();
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    std::printf("%f\n", took.count());
  }
}
