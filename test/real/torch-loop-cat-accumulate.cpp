// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-cat-accumulate %t

// The genuine libtorch headers: at::cat takes an ITensorListRef (built from
// the braced list), torch::stack an ArrayRef, both reached as torch::.

#include <torch/torch.h>

#include <vector>

torch::Tensor predictAll(torch::nn::Linear &model,
                         const std::vector<torch::Tensor> &batches) {
  torch::NoGradGuard noGrad;
  torch::Tensor all;
  for (const auto &batch : batches) {
    auto pred = model->forward(batch).argmax(1);
    all = torch::cat({all, pred});
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'cat' copies all of 'all' to append to it on every iteration, which takes time quadratic in the number of iterations; collect the parts in a 'std::vector<torch::Tensor>' and concatenate them once after the loop [torch-loop-cat-accumulate]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'all' grows on each iteration of this loop
    all = torch::stack({pred, all}, 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'stack' copies all of 'all'
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: 'all' grows
    // A fresh tensor of per-iteration parts: silent.
    auto pair = torch::cat({pred, pred}, 0);
  }
  // The rewrite: silent.
  std::vector<torch::Tensor> parts;
  for (const auto &batch : batches)
    parts.push_back(model->forward(batch));
  return torch::cat(parts) + all;
}
