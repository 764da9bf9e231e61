// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-invariant-forward %t

// The genuine libtorch headers: module holders, optimizers built from a
// vector of tensors, and the tensor operations of a style transfer.

#include <torch/torch.h>

#include <vector>

void styleTransfer(torch::nn::Conv2d &model, torch::Tensor content,
                   torch::Tensor style, int64_t len) {
  auto target = content.clone();
  torch::optim::Adam optimizer(std::vector<torch::Tensor>{target},
                               torch::optim::AdamOptions(3e-3));
  for (int step = 0; step < 2000; ++step) {
    auto targetFeatures = model->forward(target);
    auto contentFeatures = model->forward(content);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: this module call computes the same value on every iteration of the training loop, from inputs that do not change in the loop; compute it once before the loop [torch-loop-invariant-forward]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: its inputs are the same on each iteration of this loop
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    auto styleFeatures = model(style).flatten(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: this tensor expression computes the same value
    auto mask = torch::ones({len, len}).triu(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: this tensor expression computes the same value
    // Silent: the optimizer updates target; mask.sum() reads a variable whose
    // computation is reported above.
    auto loss = torch::mse_loss(targetFeatures, contentFeatures) +
                torch::mse_loss(targetFeatures.flatten(1), styleFeatures) +
                mask.sum();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
}
