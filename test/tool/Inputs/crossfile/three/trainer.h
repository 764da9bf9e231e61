#pragma once
#include "log.h"
#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

torch::Tensor compute_loss(Net &model, const torch::Tensor &x,
                           const torch::Tensor &y);

// The training loop, in a class in a header: analyzed through the files that
// include it.
class Trainer {
public:
  Trainer(Net model, torch::Device device)
      : model_(model), opt_(model->parameters(), torch::optim::SGDOptions(0.1)),
        device_(device) {}

  void fit(const std::vector<torch::Tensor> &xs,
           const std::vector<torch::Tensor> &ys) {
    for (size_t i = 0; i < xs.size(); ++i) {
      opt_.zero_grad();
      auto loss = compute_loss(model_, xs[i].to(device_), ys[i].to(device_));
      opt_.step();
      log_loss(loss, static_cast<int>(i));
    }
  }

private:
  Net model_;
  torch::optim::SGD opt_;
  torch::Device device_;
};
