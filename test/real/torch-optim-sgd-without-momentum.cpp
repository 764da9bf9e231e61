// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-sgd-without-momentum %t

// The genuine headers: SGDOptions' TORCH_ARG setters, and SGD built from a
// learning rate alone, which converts to options with momentum 0.

#include <torch/torch.h>

void train(torch::nn::Linear &model, torch::Tensor x) {
  torch::optim::SGD plain(model->parameters(), 0.01);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: SGD optimizer 'plain' has no momentum, so each step follows the current batch's gradient alone and training needs more steps to converge; set one in its options ('torch::optim::SGDOptions(lr).momentum(0.9)') or use 'torch::optim::Adam' [torch-optim-sgd-without-momentum]
  // A momentum, and Nesterov's: silent.
  torch::optim::SGD heavy(model->parameters(),
                          torch::optim::SGDOptions(0.01).momentum(0.9).nesterov(true));
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: note: training loop that it steps starts here
    plain.zero_grad();
    heavy.zero_grad();
    model->forward(x).sum().backward();
    plain.step();
    heavy.step();
  }
}
