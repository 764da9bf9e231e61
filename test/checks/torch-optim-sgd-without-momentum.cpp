// RUN: %check_trainlint %s torch-optim-sgd-without-momentum %t

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- Positives ------------------------------------------------------===//

// A learning rate alone: SGDOptions(0.01), momentum 0.
void learningRateOnly(Net &model, torch::Tensor x) {
  torch::optim::SGD optimizer(model->parameters(), 0.01);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: SGD optimizer 'optimizer' has no momentum, so each step follows the current batch's gradient alone and training needs more steps to converge; set one in its options ('torch::optim::SGDOptions(lr).momentum(0.9)') or use 'torch::optim::Adam' [torch-optim-sgd-without-momentum]
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: note: training loop that it steps starts here
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// Options with other settings.
void otherOptions(Net &model, torch::Tensor x) {
  auto sgd = torch::optim::SGD(
      model->parameters(), torch::optim::SGDOptions(0.1).weight_decay(1e-4));
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: SGD optimizer 'sgd' has no momentum
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: note: training loop that it steps starts here
    model->forward(x).sum().backward();
    sgd.step();
  }
}

// An explicit zero momentum.
void explicitZero(Net &model, torch::Tensor x) {
  torch::optim::SGD zero(model->parameters(),
                         torch::optim::SGDOptions(0.1).momentum(0.0));
  // CHECK-MESSAGES: :[[@LINE-2]]:21: warning: SGD optimizer 'zero' has no momentum
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: note: training loop that it steps starts here
    model->forward(x).sum().backward();
    zero.step();
  }
}

// Handed to a function that steps it in its training loop.
void trainWith(Net &model, torch::optim::Optimizer &optimizer, torch::Tensor x);
void handedOver(Net &model, torch::Tensor x) {
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.01));
  // CHECK-MESSAGES: :[[@LINE-2]]:21: warning: SGD optimizer 'optimizer' has no momentum
  trainWith(model, optimizer, x);
}
void trainWith(Net &model, torch::optim::Optimizer &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: note: training loop that it steps starts here
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

//===--- Negatives ------------------------------------------------------===//

// Momentum in the options, Nesterov's included.
void withMomentum(Net &model, torch::Tensor x) {
  torch::optim::SGD a(model->parameters(),
                      torch::optim::SGDOptions(0.1).momentum(0.9));
  torch::optim::SGD b(
      model->parameters(),
      torch::optim::SGDOptions(0.1).momentum(0.9).nesterov(true).lr(0.05));
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    a.step();
    b.step();
  }
}

// A momentum from a variable: the user chose it.
void momentumFromConfig(Net &model, torch::Tensor x, double momentum) {
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.1).momentum(momentum));
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// Options built elsewhere may set a momentum.
torch::optim::SGDOptions makeOptions();
void optionsFromElsewhere(Net &model, torch::Tensor x,
                          const torch::optim::SGDOptions &given) {
  torch::optim::SGD a(model->parameters(), makeOptions());
  torch::optim::SGD b(model->parameters(), given);
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    a.step();
    b.step();
  }
}

// The momentum is set after construction, in the param group's options.
void setLater(Net &model, torch::Tensor x) {
  torch::optim::SGD optimizer(model->parameters(), 0.1);
  static_cast<torch::optim::SGDOptions &>(optimizer.param_groups()[0].options())
      .momentum(0.9);
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// Stepped once, in no training loop: a one-off update.
void steppedOnce(Net &model, torch::Tensor x) {
  torch::optim::SGD optimizer(model->parameters(), 0.1);
  model->forward(x).sum().backward();
  optimizer.step();
}

// Adam adapts its steps: no momentum to set.
void adam(Net &model, torch::Tensor x) {
  torch::optim::Adam optimizer(model->parameters(),
                               torch::optim::AdamOptions(1e-3));
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
  }
}
