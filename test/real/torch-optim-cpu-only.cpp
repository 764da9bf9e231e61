// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-cpu-only %t
// RUN: %check_trainlint_real %s torch-optim-cpu-only %t.chosen --check-prefix=CHECK-CHOSEN -- -DCHOOSE_DEVICE

// The genuine headers: a program like prabhuomkar/pytorch-cpp's linear
// regression, which names no device, and the same with the device choice
// of its other tutorials.

#include <torch/torch.h>

int main() {
  torch::nn::Linear model(1, 1);
#ifdef CHOOSE_DEVICE
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  model->to(device);
#endif
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.001));
  auto x = torch::randn({15, 1});
  auto y = torch::randn({15, 1});
  for (size_t epoch = 0; epoch != 60; ++epoch) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs on the CPU
    auto loss = torch::nn::functional::mse_loss(model->forward(x), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  return 0;
}
