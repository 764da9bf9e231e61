// RUN: %check_trainlint %s torch-loop-accessor-in-loop %t

#include <torch/torch.h>

#include <vector>

// A declaration alone in the loop's braces moves before the loop.
void rowSums(const torch::Tensor &x, torch::Tensor out) {
  auto o = out.accessor<float, 1>();
  for (int64_t i = 0; i < x.size(0); ++i) {
    auto a = x.accessor<float, 2>();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'accessor()' of 'x' is fetched on every iteration of the loop, though 'x' does not change in it; fetch it once before the loop [torch-loop-accessor-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
    o[i] = a[i][0] + a[i][1];
  }
}
// CHECK-FIXES: {{^}}  auto o = out.accessor<float, 1>();{{$}}
// CHECK-FIXES-NEXT: {{^}}  auto a = x.accessor<float, 2>();{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (int64_t i = 0; i < x.size(0); ++i) {
// CHECK-FIXES-NEXT: {{^}}    //{{$}}

float pointerSum(const torch::Tensor &x, int64_t n) {
  float s = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float *p = x.data_ptr<float>();
    // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'data_ptr()' of 'x' is fetched on every iteration of the loop, though 'x' does not change in it; fetch it once before the loop [torch-loop-accessor-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
    s += p[i];
  }
  return s;
}
// CHECK-FIXES: {{^}}  float s = 0;{{$}}
// CHECK-FIXES-NEXT: {{^}}  const float *p = x.data_ptr<float>();{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (int64_t i = 0; i < n; ++i) {

float contiguousSum(const torch::Tensor &x, int64_t n) {
  float s = 0;
  for (auto i : c10::irange(n)) {
    auto c = x.contiguous();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'contiguous()' of 'x' runs on every iteration of the loop, and copies 'x' each time that it is not contiguous, though 'x' does not change in it; make it contiguous once before the loop [torch-loop-accessor-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
    // 'c' is declared in the loop: its own 'data_ptr()' is silent.
    s += c.data_ptr<float>()[i];
  }
  return s;
}
// CHECK-FIXES: {{^}}  auto c = x.contiguous();{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (auto i : c10::irange(n)) {
// CHECK-FIXES-NEXT: {{^}}    //{{$}}
// CHECK-FIXES: {{^}}    s += c.data_ptr<float>()[i];{{$}}

// Warned, but no fix-it: the rewrite would not be a plain move.
void noFix(torch::Tensor x, torch::Tensor y, int64_t n, bool flag) {
  float s = 0;
  for (int64_t i = 0; i < n; ++i) {
    // The pointer itself moves in the loop.
    float *p = x.data_ptr<float>();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'data_ptr()' of 'x' is fetched
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: the loop over 'i' starts here
    p += i;
    s += *p;
  }
  for (int64_t i = 0; i < n; ++i) {
    // Two declarations in one statement.
    float *p = x.data_ptr<float>(), *q = y.data_ptr<float>();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'data_ptr()' of 'x' is fetched
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: the loop over 'i'
    // CHECK-MESSAGES: :[[@LINE-3]]:44: warning: 'data_ptr()' of 'y' is fetched
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: the loop over 'i'
    s += p[i] + q[i];
  }
  for (int64_t i = 0; i < n; ++i) {
    // Under a condition in the loop.
    if (flag) {
      auto a = x.accessor<float, 1>();
      // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'accessor()' of 'x' is fetched
      // CHECK-MESSAGES: :[[@LINE-5]]:3: note: the loop over 'i'
      s += a[i];
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    // The tensor is written in place in the loop.
    auto a = y.accessor<float, 1>();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'accessor()' of 'y' is fetched
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: the loop over 'i'
    y.mul_(2);
    s += a[i];
  }
  // The same name in two loops of one block would clash once hoisted.
  for (int64_t i = 0; i < n; ++i) {
    auto acc = x.accessor<float, 1>();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'accessor()' of 'x' is fetched
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i'
    s += acc[i];
  }
  for (int64_t i = 0; i < n; ++i) {
    auto acc = y.accessor<float, 1>();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'accessor()' of 'y' is fetched
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i'
    s += acc[i];
  }
  // The loop is the body of an if, not a statement of a block.
  if (flag)
    for (int64_t i = 0; i < n; ++i) {
      auto b = x.accessor<float, 1>();
      // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'accessor()' of 'x' is fetched
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the loop over 'i'
      s += b[i];
    }
  // A while loop has no counter to name.
  int64_t j = 0;
  while (j < n) {
    s += x.data_ptr<float>()[j++];
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'data_ptr()' of 'x' is fetched
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop starts here
  }
}

// In a template, one rewrite would have to suit every instantiation: warned
// once, not rewritten.
template <typename T> T templated(const torch::Tensor &x, int64_t n) {
  T s = 0;
  for (int64_t i = 0; i < n; ++i) {
    auto a = x.accessor<float, 1>();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'accessor()' of 'x' is fetched
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i'
    s += a[i];
  }
  return s;
}
float templatedFloat(const torch::Tensor &x) { return templated<float>(x, 4); }
double templatedDouble(const torch::Tensor &x) { return templated<double>(x, 4); }

// A macro that fetches: reported where it expands, not rewritten.
#define PTR(t) (t).data_ptr<float>()
float withMacro(const torch::Tensor &x, int64_t n) {
  float s = 0;
  for (int64_t i = 0; i < n; ++i) {
    float *p = PTR(x);
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'data_ptr()' of 'x' is fetched
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i'
    s += p[i];
  }
  return s;
}

// Negative cases: each must stay silent.
float silent(torch::Tensor x, const std::vector<torch::Tensor> &rows, int64_t n) {
  float s = 0;
  // Fetched once, before the loop: the recommended idiom.
  auto a = x.accessor<float, 2>();
  for (int64_t i = 0; i < n; ++i)
    s += a[i][0];
  // A new tensor on each iteration.
  for (int64_t i = 0; i < n; ++i) {
    auto row = x[i];
    auto r = row.accessor<float, 1>();
    s += r[0];
  }
  for (const auto &row : rows) {
    auto r = row.accessor<float, 1>();
    s += r[0];
  }
  for (int64_t i = 0; i < n; ++i)
    s += x[i].data_ptr<float>()[0];
  // The tensor is reassigned in the loop.
  for (int64_t i = 0; i < n; ++i) {
    x = x * 2;
    auto b = x.accessor<float, 2>();
    s += b[i][0];
  }
  // A contiguous copy must see what the loop writes into the tensor.
  for (int64_t i = 0; i < n; ++i) {
    auto c = x.contiguous();
    s += c.data_ptr<float>()[i];
    x.add_(c);
  }
  // Fetched once per row, around the loop over the row's elements.
  for (int64_t i = 0; i < n; ++i) {
    auto b = x.accessor<float, 2>();
    for (int64_t k = 0; k < n; ++k)
      s += b[i][k];
  }
  return s;
}
