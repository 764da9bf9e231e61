// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-no-lr-scheduler %t

// The genuine headers: LRScheduler and StepLR, and the learning rate set by
// hand through a param group's options.

#include <torch/torch.h>

void trainEpoch(torch::nn::Linear &model, torch::optim::Optimizer &optimizer,
                torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

void train(torch::nn::Linear &model, torch::Tensor x) {
  torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(1e-3));
  for (int epoch = 0; epoch < 10; ++epoch)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: epoch loop trains with a constant learning rate: no scheduler steps in it and no learning rate is set; step a scheduler such as 'torch::optim::StepLR' once per epoch [torch-optim-no-lr-scheduler]
    trainEpoch(model, adam, x);

  // Scheduled, or decayed by hand: silent.
  torch::optim::StepLR scheduler(adam, /*step_size=*/3, /*gamma=*/0.5);
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, adam, x);
    scheduler.step();
  }
  for (int epoch = 0; epoch < 10; ++epoch) {
    trainEpoch(model, adam, x);
    for (auto &group : adam.param_groups())
      static_cast<torch::optim::AdamOptions &>(group.options()).lr(1e-3 / (epoch + 1));
  }
}
