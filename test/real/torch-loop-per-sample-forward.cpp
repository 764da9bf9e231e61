// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-per-sample-forward %t

// The genuine libtorch headers: module holders forward through operator()
// and operator->, and Linear's forward is LinearImpl::forward.

#include <torch/torch.h>

torch::Tensor predict(torch::nn::Linear &linear, const torch::Tensor &batch) {
  std::vector<torch::Tensor> outputs;
  for (int64_t i = 0; i < batch.size(0); ++i)
    outputs.push_back(linear->forward(batch[i]));
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: the module runs once per sample of 'batch'; call it once on the whole batch [torch-loop-per-sample-forward]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' takes one sample at a time
  for (auto i : c10::irange(batch.size(0)))
    outputs.push_back(linear(batch.select(0, i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the module runs once per sample of 'batch'
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' takes one sample at a time
  // Silent: the whole batch.
  outputs.push_back(linear(batch));
  return torch::stack(outputs);
}
