// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-accessor-in-loop %t
// The fixed file still compiles against the genuine headers.
// RUN: %clangxx %torch_flags -fsyntax-only %t.cpp

// The genuine libtorch headers: accessor<T, N>() and data_ptr<T>() are
// templates of TensorBase, TensorAccessor::operator[] is a non-const method,
// and contiguous() takes a memory format with a default.

#include <torch/torch.h>

float rowSums(const torch::Tensor &x, torch::Tensor out) {
  auto o = out.accessor<float, 1>();
  float s = 0;
  for (int64_t i = 0; i < x.size(0); ++i) {
    auto a = x.accessor<float, 2>();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'accessor()' of 'x' is fetched on every iteration of the loop, though 'x' does not change in it; fetch it once before the loop [torch-loop-accessor-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
    o[i] = a[i][0] + a[i][1];
  }
  for (auto i : c10::irange(x.size(0))) {
    const float *p = x.data_ptr<float>();
    // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'data_ptr()' of 'x' is fetched on every iteration
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
    s += p[i];
  }
  for (int64_t i = 0; i < x.numel(); ++i) {
    auto c = x.contiguous();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'contiguous()' of 'x' runs on every iteration of the loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
    s += c.data_ptr<float>()[i];
  }
  // Silent: fetched once; a new row on each iteration.
  auto b = x.accessor<float, 2>();
  for (int64_t i = 0; i < x.size(0); ++i) {
    auto row = x[i];
    s += b[i][0] + row.accessor<float, 1>()[1];
  }
  return s;
}
// CHECK-FIXES: {{^}}  auto a = x.accessor<float, 2>();{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (int64_t i = 0; i < x.size(0); ++i) {
// CHECK-FIXES: {{^}}  const float *p = x.data_ptr<float>();{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (auto i : c10::irange(x.size(0))) {
// CHECK-FIXES: {{^}}  auto c = x.contiguous();{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (int64_t i = 0; i < x.numel(); ++i) {
