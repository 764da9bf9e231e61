// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-train-eval-mode %t

// The genuine libtorch headers: Module::train(bool on = true) and eval()
// are virtual, torch::nn::Dropout is a ModuleHolder of DropoutImpl.

#include <torch/torch.h>

struct Net : torch::nn::Module {
  Net()
      : fc(register_module("fc", torch::nn::Linear(4, 2))),
        drop(register_module("drop", torch::nn::Dropout(0.5))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(drop(x)); }
  torch::nn::Linear fc;
  torch::nn::Dropout drop;
};

void fit(Net &model, torch::optim::SGD &optimizer, const torch::Tensor &x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (int step = 0; step < 100; ++step) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: training loop runs after 'eval()' with no 'train()' in between: {{.*}} [torch-optim-train-eval-mode]
      optimizer.zero_grad();
      model.forward(x).sum().backward();
      optimizer.step();
    }
    model.eval();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: the model is put in evaluation mode here
    torch::NoGradGuard no_grad;
    model.forward(x);
  }
}

// Silent: train() at the top of each epoch.
void fitWell(Net &model, torch::optim::SGD &optimizer, const torch::Tensor &x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    model.train();
    for (int step = 0; step < 100; ++step) {
      optimizer.zero_grad();
      model.forward(x).sum().backward();
      optimizer.step();
    }
    model.eval();
    torch::NoGradGuard no_grad;
    model.forward(x);
  }
}
