// The model both programs train and evaluate, on the GPU when there is one.
#pragma once

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

inline torch::Device pickDevice() {
  return torch::Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
}
