// The step of a training loop that lives in main.cpp: this file names no
// device of its own, and none of its code is in a loop.
#include "step.h"

double train_step(Net &model, torch::optim::SGD &opt, const torch::Tensor &x,
                  const torch::Tensor &y, const torch::Device &device) {
  auto in = x.to(device);
  auto target = y.to(device);
  opt.zero_grad();
  auto loss = torch::mse_loss(model->forward(in), target);
  loss.backward();
  opt.step();
  return loss.item<double>();
}

// Called only once, after training: never hot.
double eval_batch(Net &model, const torch::Tensor &x) {
  return model->forward(x).sum().item<double>();
}
