#pragma once
#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

double train_step(Net &model, torch::optim::SGD &opt, const torch::Tensor &x,
                  const torch::Tensor &y, const torch::Device &device);
double eval_batch(Net &model, const torch::Tensor &x);
