// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-invariant-tensor %t

// The genuine libtorch headers: torch::tensor takes a TensorDataContainer,
// the factories take TensorOptions by value or reference.

#include <torch/torch.h>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Device device, int64_t n) {
  for (int step = 0; step < 100; ++step) {
    auto positions = torch::arange(n).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'torch::arange' creates the same tensor on every iteration of the training loop; create it once before the loop [torch-loop-invariant-tensor]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: hoisted before this loop: 'const torch::Tensor positions = torch::arange(n).to(device);'
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    auto weights = torch::tensor({0.2, 0.3, 0.5}, torch::kFloat);
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'torch::tensor' creates the same tensor
    auto mask = torch::ones({n, n}, torch::TensorOptions().device(device));
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'torch::ones' creates the same tensor
    // Silent: random, varying, per-step buffer (level 2).
    auto noise = torch::randn({n});
    auto ramp = torch::arange(step);
    auto total = torch::zeros({1});
    auto loss = model->forward(x + noise + ramp).sum() + positions.sum() +
                weights.sum() + mask.sum();
    total += loss;
    total.backward();
    optimizer.step();
  }
}
