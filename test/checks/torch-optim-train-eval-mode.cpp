// RUN: %check_trainlint %s torch-optim-train-eval-mode %t

#include <torch/torch.h>

// A model with dropout: its output depends on the mode.
struct NetImpl : torch::nn::Module {
  NetImpl() {
    fc = register_module("fc", torch::nn::Linear(4, 2));
    drop = register_module("drop", torch::nn::Dropout(0.5));
  }
  torch::Tensor forward(torch::Tensor x) { return fc(drop(x)); }
  torch::nn::Linear fc{nullptr};
  torch::nn::Dropout drop{nullptr};
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};
using Loader = torch::data::DataLoaderBase<torch::data::datasets::MNIST, torch::data::Example<>, std::vector<size_t>>;

//===--- Evaluation in training mode ------------------------------------===//

// The model is made here, in training mode, and evaluated without eval().
int main() {
  Net model;
  Loader loader;
  torch::NoGradGuard no_grad;
  for (auto &batch : loader) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: evaluation loop runs the model in training mode: dropout stays on and batch normalization normalizes with each batch's statistics and updates its running ones; call 'eval()' on the model before the loop [torch-optim-train-eval-mode]
    model->forward(batch.data);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: 'drop' may compute differently in training mode (dropout, batch normalization)
  }
  return 0;
}

// Its one caller hands it a model in training mode.
static void validate(Net &model, Loader &loader) {
  torch::NoGradGuard no_grad;
  for (auto &batch : loader)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: evaluation loop runs the model in training mode
    model(batch.data);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: 'drop' may compute
}
void runValidation(Net &model, Loader &loader) {
  model->train();
  validate(model, loader);
}

//===--- Training after eval() -----------------------------------------===//

// The epoch loop evaluates after training and never switches back: the
// second epoch trains in evaluation mode.
void fit(Net &model, torch::optim::SGD &optimizer, Loader &train, Loader &test) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : train) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: training loop runs after 'eval()' with no 'train()' in between: dropout is off and batch normalization freezes its statistics while the model trains; call 'train()' on the model before the loop [torch-optim-train-eval-mode]
      optimizer.zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
    model->eval();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: the model is put in evaluation mode here
    torch::NoGradGuard no_grad;
    for (auto &batch : test)
      model->forward(batch.data);
  }
}

// The same across functions, as in pytorch/examples' mnist with its
// model.train() left out.
static void trainEpoch(Net &model, torch::optim::SGD &optimizer, Loader &train) {
  for (auto &batch : train) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs after 'eval()' with no 'train()' in between: 'trainEpoch' is called after the model is put in evaluation mode
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
static void testEpoch(Net &model, Loader &test) {
  torch::NoGradGuard no_grad;
  model->eval();
  for (auto &batch : test)
    model->forward(batch.data);
}
void fitAcrossFunctions(Net &model, torch::optim::SGD &optimizer, Loader &train,
                        Loader &test) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, optimizer, train);
    testEpoch(model, test);
  }
}

//===--- Silent -----------------------------------------------------------===//

// The idiom: train() at the top of each epoch, eval() before evaluating.
void fitWell(Net &model, torch::optim::SGD &optimizer, Loader &train, Loader &test) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    model->train();
    for (auto &batch : train) {
      optimizer.zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
    model->eval();
    torch::NoGradGuard no_grad;
    for (auto &batch : test)
      model->forward(batch.data);
  }
}

// A model of linear layers only computes the same in either mode.
void linearOnly(torch::nn::Linear &head, Loader &test) {
  torch::NoGradGuard no_grad;
  torch::nn::Linear local(4, 2);
  for (auto &batch : test)
    local(head(batch.data));
}

// The mode is the run's choice.
void byFlag(Net &model, Loader &test, bool training) {
  model->train(training);
  for (auto &batch : test)
    model->forward(batch.data);
}

// The model comes from callers that no file at hand shows: one of them may
// have called eval().
void evaluateFromElsewhere(Net &model, Loader &test) {
  torch::NoGradGuard no_grad;
  for (auto &batch : test)
    model->forward(batch.data);
}

// Its one known caller hands on a model that it got from its own callers,
// and sets no mode: a caller further up may have called eval().
static void evaluateHandedOn(Net &model, Loader &test) {
  torch::NoGradGuard no_grad;
  for (auto &batch : test)
    model->forward(batch.data);
}
void handOn(Net &model, Loader &test) { evaluateHandedOn(model, test); }
