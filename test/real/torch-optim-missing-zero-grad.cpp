// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-missing-zero-grad %t

// The genuine headers: a data loader's batches, Module::zero_grad and
// Optimizer::zero_grad of libtorch 1.13, clip_grad_norm_.

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(4, 2))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};
TORCH_MODULE(Net);

template <typename Loader>
void train(Net &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : loader) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: training loop runs backward and an optimizer step but never clears the gradients, so each step adds the gradients of every earlier step to its own; call 'optimizer.zero_grad()' once per step, before 'backward()' [torch-optim-missing-zero-grad]
      auto loss = torch::nll_loss(torch::log_softmax(model->forward(batch.data), 1),
                                  batch.target);
      loss.backward();
      optimizer.step();
    }
  }
}

// Cleared each step, by the module or per parameter: silent. (A clear
// anywhere in the epoch loop above would silence it too: accumulation over
// an epoch.)
template <typename Loader>
void trainCleared(Net &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : loader) {
      model->zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
    for (auto &batch : loader) {
      model->forward(batch.data).sum().backward();
      torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
      optimizer.step();
      for (auto &p : model->parameters())
        p.mutable_grad().reset();
    }
  }
}

void run() {
  Net model;
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.1).momentum(0.9));
  auto loader = torch::data::make_data_loader(
      torch::data::datasets::MNIST("data").map(
          torch::data::transforms::Stack<>()),
      64);
  train(model, optimizer, *loader);
  trainCleared(model, optimizer, *loader);
}
