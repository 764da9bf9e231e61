// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-per-element %t

// The genuine libtorch headers: Tensor::operator[] has int64_t, Scalar and
// Tensor overloads, index() takes ArrayRef<TensorIndex>, torch::rand is
// declared in namespace torch and takes an IntArrayRef.

#include <torch/torch.h>

using namespace torch::indexing;

float loops(const torch::Tensor &t, torch::Tensor out, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < t.size(0); ++i)
    sum += t[i].item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: indexing 't' with the loop counter 'i' runs a tensor operation and an 'item()' per element; reduce the whole tensor in one operation ('sum()', 'max()') [torch-loop-per-element]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
  for (int64_t k = 0; k < n; ++k)
    out.index_put_({k, Slice()}, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: indexing 'out' with the loop counter 'k' runs a tensor operation per element; write all the elements
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'k' starts here
  for (int64_t i = 0; i < n; ++i)
    sum += torch::rand(1).item<float>() + torch::randint(10, {1}).item<int64_t>();
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'item()' of a one-element random tensor draws one number through tensor operations on every iteration of the loop
  // CHECK-MESSAGES: :[[@LINE-2]]:67: warning: 'item()' of a one-element random tensor draws one number
  // Silent: an accessor over a CPU tensor.
  auto a = t.accessor<float, 1>();
  for (int64_t i = 0; i < n; ++i)
    sum += a[i];
  return sum;
}
