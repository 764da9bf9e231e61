// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-create-then-move %t
// The fixed file still compiles against the genuine headers.
// RUN: %clangxx %torch_flags -fsyntax-only %t.cpp

// The genuine libtorch headers: the factories' TensorOptions parameters are
// found, and the rewritten calls resolve.

#include <torch/torch.h>

void setup(torch::Device device, const torch::Tensor &x) {
  auto a = torch::zeros({2, 3}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'torch::zeros' creates the tensor on the host and 'to()' then copies it to the device; create it on the device with 'TensorOptions().device(...)' [torch-sync-create-then-move]
  // CHECK-FIXES: {{^}}  auto a = torch::zeros({2, 3}, torch::TensorOptions().device(device));{{$}}
  auto b = torch::ones({4}, torch::kFloat).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'torch::ones' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto b = torch::ones({4}, torch::TensorOptions(torch::kFloat).device(device));{{$}}
  auto c = torch::full({2}, 1.5).to(torch::kCUDA);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'torch::full' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto c = torch::full({2}, 1.5, torch::TensorOptions().device(torch::kCUDA));{{$}}
  auto d = torch::arange(10).cuda();
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::arange' creates the tensor on the host and 'cuda()' then copies it
  // CHECK-FIXES: {{^}}  auto d = torch::arange(10, torch::TensorOptions().device(torch::kCUDA));{{$}}
  auto e = at::zeros({3}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'at::zeros' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto e = at::zeros({3}, at::TensorOptions().device(device));{{$}}
  auto f = at::ones({3}).cuda();
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'at::ones' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto f = at::ones({3}, at::TensorOptions().device(at::kCUDA));{{$}}
  auto g = torch::eye(3).to(torch::Device(torch::kCUDA, 1));
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'torch::eye' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto g = torch::eye(3, torch::TensorOptions().device(torch::Device(torch::kCUDA, 1)));{{$}}
  auto h = torch::linspace(0, 1, 5).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: 'torch::linspace' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto h = torch::linspace(0, 1, 5, torch::TensorOptions().device(device));{{$}}
  auto i = torch::empty({8}).to(x.device());
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::empty' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto i = torch::empty({8}, torch::TensorOptions().device(x.device()));{{$}}
  auto j = torch::tensor({1.0, 2.0}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'torch::tensor' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto j = torch::tensor({1.0, 2.0}, torch::TensorOptions().device(device));{{$}}

  // Reported with a note, not fixed: random numbers, requires_grad.
  auto r = torch::randn({2}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::randn' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the factory draws random numbers
  // CHECK-FIXES: {{^}}  auto r = torch::randn({2}).to(device);{{$}}
  auto s = torch::zeros({2}, torch::requires_grad()).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:54: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the factory's options set more than the dtype
  // CHECK-FIXES: {{^}}  auto s = torch::zeros({2}, torch::requires_grad()).to(device);{{$}}

  // Silent: host memory the program has; to the host; a dtype.
  float buffer[4] = {};
  auto u = torch::from_blob(buffer, {4}).to(device);
  auto v = torch::zeros({2}).to(torch::kCPU);
  auto w = torch::zeros({2}).to(torch::kHalf);
  auto w2 = torch::zeros({2}).toType(torch::kHalf);

  // Factories that create where another tensor lives: reported when it is
  // on the host, never fixed.
  auto host = torch::zeros({4});
  auto k = torch::zeros_like(host).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'torch::zeros_like' creates the tensor on the host and 'to()' then copies it to the device
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'torch::TensorOptions().device(device)' to 'torch::zeros_like' instead; not fixed automatically because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto k = torch::zeros_like(host).to(device);{{$}}
  auto l = host.new_zeros({2}).cuda();
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'new_zeros()' creates the tensor on the host and 'cuda()' then copies it to the device
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'at::TensorOptions().device(at::kCUDA)' to 'new_zeros()' instead; not fixed automatically because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto l = host.new_zeros({2}).cuda();{{$}}
  // Silent: x may be on the device.
  auto m = torch::zeros_like(x).to(device);
  auto n = x.new_zeros({2}).to(device);
}

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x) {
  torch::Device device(torch::kCUDA);
  for (int step = 0; step < 100; ++step) {
    auto mask = torch::ones({1}).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'torch::ones' creates the tensor on the host and 'to()' then copies it to the device, on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    // CHECK-FIXES: {{^}}    auto mask = torch::ones({1}, torch::TensorOptions().device(device));{{$}}
    auto loss = (model->forward(x) * mask).sum();
    loss.backward();
    optimizer.step();
  }
}
