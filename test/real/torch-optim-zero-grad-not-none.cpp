// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-zero-grad-not-none %t
// The fixed file still compiles against the genuine headers.
// RUN: %clangxx %torch_flags -std=c++17 -fsyntax-only %t.cpp

// The genuine headers are libtorch 1.13's: Module::zero_grad(bool
// set_to_none = false) fills the gradients with zeros by default, and
// Optimizer::zero_grad() takes no argument.

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(4, 1))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};
TORCH_MODULE(Net);

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    model->zero_grad();
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'zero_grad()' of 'torch::nn::Module' fills every gradient with zeros: its 'set_to_none' defaults to 'false' in these libtorch headers; pass 'true' to set the gradients to none, so that the next backward writes them fresh [torch-optim-zero-grad-not-none]
    // CHECK-FIXES: {{^}}    model->zero_grad(true);{{$}}
    model->forward(x).sum().backward();
    optimizer.step();
    // 1.13's Optimizer::zero_grad() has no argument to pass: silent.
    optimizer.zero_grad();
  }
}

void explicitFalse(NetImpl &net) {
  net.zero_grad(false);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'zero_grad(false)' fills every gradient with zeros; pass 'true'
  // CHECK-FIXES: {{^}}  net.zero_grad(true);{{$}}
  // Already true.
  net.zero_grad(true);
}
