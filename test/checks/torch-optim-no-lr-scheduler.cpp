// RUN: %check_trainlint %s torch-optim-no-lr-scheduler %t

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- Positives ------------------------------------------------------===//

template <typename Loader>
void constantRate(Net &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: epoch loop trains with a constant learning rate: no scheduler steps in it and no learning rate is set; step a scheduler such as 'torch::optim::StepLR' once per epoch [torch-optim-no-lr-scheduler]
    for (auto &batch : loader) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: note: training loop starts here
      optimizer.zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
  }
}

// Adam adapts each parameter's step, and still gains from a schedule.
void trainEpoch(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}
void adamEpochs(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: epoch loop trains with a constant learning rate
    trainEpoch(model, optimizer, x);
}

// A scheduler built and never stepped.
void neverStepped(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  torch::optim::StepLR scheduler(optimizer, 10);
  for (int epoch = 0; epoch < 10; ++epoch)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: epoch loop trains with a constant learning rate
    trainEpoch(model, optimizer, x);
}

// Folds around the epochs: one finding, on the epoch loop.
void folds(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int fold = 0; fold < 5; ++fold)
    for (int epoch = 0; epoch < 10; ++epoch)
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: epoch loop trains with a constant learning rate
      trainEpoch(model, optimizer, x);
}

void instantiate(Net &model, torch::optim::SGD &optimizer) {
  auto loader =
      torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  constantRate(model, optimizer, *loader);
}

//===--- Negatives ------------------------------------------------------===//

// A scheduler steps once per epoch.
void stepLR(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  torch::optim::StepLR scheduler(optimizer, 10);
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, optimizer, x);
    scheduler.step();
  }
}

// ReduceLROnPlateau steps with a metric.
void plateau(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  torch::optim::ReduceLROnPlateauScheduler scheduler(optimizer);
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, optimizer, x);
    scheduler.step(0.5f);
  }
}

// The learning rate is set by hand, in the param groups' options.
void manualDecay(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  double lr = 1e-3;
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, optimizer, x);
    lr *= 0.9;
    for (auto &group : optimizer.param_groups())
      group.options().set_lr(lr);
  }
}

// A per-step schedule, inside the training loop (warm-up, one-cycle).
void perStep(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  torch::optim::StepLR scheduler(optimizer, 1000);
  for (int epoch = 0; epoch < 10; ++epoch)
    for (int step = 0; step < 100; ++step) {
      optimizer.zero_grad();
      model->forward(x).sum().backward();
      optimizer.step();
      scheduler.step();
    }
}

// A helper defined elsewhere may step a scheduler.
void endOfEpoch(int epoch);
void opaque(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, optimizer, x);
    endOfEpoch(epoch);
  }
}

// One training loop with no epochs around it: no epoch to schedule by.
void stepsOnly(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  trainEpoch(model, optimizer, x);
}
