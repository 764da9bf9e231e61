// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-rebuilt-state %t

// The genuine libtorch headers: optimizers derive from
// torch::optim::Optimizer, module holders from torch::nn::ModuleHolder (with
// their nullptr and shared_ptr constructors), Module::to has three overloads,
// and register_module takes a holder or a shared_ptr.

#include <torch/torch.h>

#include <memory>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(4, 2))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(Net);

template <typename Loader>
void train(Net &model, Loader &loader, torch::Device device, int epochs) {
  for (int epoch = 0; epoch < epochs; ++epoch) {
    model->to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'to()' moves or converts every parameter and buffer of the model on every iteration of the epoch loop; move the model once, before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: epoch loop starts here; it encloses the training loop
    torch::optim::Adam optimizer(model->parameters(),
                                 torch::optim::AdamOptions(1e-3));
    // CHECK-MESSAGES: :[[@LINE-2]]:24: warning: optimizer 'torch::optim::Adam' is constructed on every iteration of the epoch loop
    // CHECK-MESSAGES: :[[@LINE-3]]:24: note: to change the learning rate
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: epoch loop starts here
    for (auto &batch : loader) {
      auto sgd = std::make_shared<torch::optim::SGD>(
          model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
      // CHECK-MESSAGES: :[[@LINE-2]]:18: warning: optimizer 'torch::optim::SGD' is constructed on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-3]]:18: note: to change the learning rate
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: training loop starts here
      torch::nn::Linear head(2, 2);
      // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: module 'torch::nn::Linear' is constructed on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-8]]:5: note: training loop starts here
      model->to(torch::kHalf);
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'to()' moves or converts every parameter
      // CHECK-MESSAGES: :[[@LINE-11]]:5: note: training loop starts here
      optimizer.zero_grad();
      auto loss = head(model->forward(batch.data.to(device))).sum();
      loss.backward();
      optimizer.step();
      sgd->step();
    }
  }
}

// Silent: built once, the rate set through param_groups, a fresh holder
// wrapping nothing, and a new run per fold.
template <typename Loader>
void idiomatic(Net &model, Loader &loader, torch::Device device) {
  model->to(device);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &group : optimizer.param_groups())
      static_cast<torch::optim::SGDOptions &>(group.options()).lr(0.1 / (epoch + 1));
    for (auto &batch : loader) {
      torch::nn::Linear unused{nullptr};
      optimizer.zero_grad();
      model->forward(batch.data.to(device)).sum().backward();
      optimizer.step();
    }
  }
  for (int fold = 0; fold < 5; ++fold) {
    Net fresh;
    fresh->to(device);
    torch::optim::Adam adam(fresh->parameters(), torch::optim::AdamOptions(1e-3));
    for (auto &batch : loader) {
      adam.zero_grad();
      fresh->forward(batch.data.to(device)).sum().backward();
      adam.step();
    }
  }
}

void run() {
  auto dataset = torch::data::datasets::MNIST("data").map(
      torch::data::transforms::Stack<>());
  auto loader = torch::data::make_data_loader(std::move(dataset), 64);
  Net model;
  train(model, *loader, torch::kCUDA, 3);
  idiomatic(model, *loader, torch::kCUDA);
}
