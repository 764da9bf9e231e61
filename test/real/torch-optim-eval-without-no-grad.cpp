// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-eval-without-no-grad %t
// The fixed file still compiles against the genuine headers.
// RUN: %clangxx %torch_flags -fsyntax-only %t.cpp

// The genuine libtorch headers: torch::NoGradGuard is an alias of
// at::NoGradGuard, Module::eval() is virtual, and the model is a plain
// torch::nn::Module held by reference.

#include <torch/torch.h>

struct Net : torch::nn::Module {
  Net() : fc(register_module("fc", torch::nn::Linear(4, 2))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};

void test(Net &model, const torch::Tensor &inputs, double &loss) {
  model.eval();
  for (int64_t i = 0; i < inputs.size(0); i += 8)
    loss += model.forward(inputs.slice(0, i, i + 8)).sum().item<double>();
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: evaluation loop runs forward passes with gradient recording on, building an autograd graph on every iteration that no backward uses; turn recording off with 'torch::NoGradGuard' at the start of 'test' [torch-optim-eval-without-no-grad]
}
// CHECK-FIXES: {{^}}void test(Net &model, const torch::Tensor &inputs, double &loss) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model.eval();{{$}}

// Silent: the guard is there.
void evaluate(Net &model, const torch::Tensor &inputs, double &loss) {
  torch::NoGradGuard no_grad;
  model.eval();
  for (int64_t i = 0; i < inputs.size(0); i += 8)
    loss += model.forward(inputs.slice(0, i, i + 8)).sum().item<double>();
}
