// RUN: %check_trainlint %s torch-sync-create-then-move %t
//
// A program that names no device but the CPU keeps every tensor there, where
// `to(device)` copies nothing. Its helpers take a device from callers that
// may be in other files and may pass an accelerator, so the program says
// that it runs on the CPU only: no message.
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-create-then-move' --config='{CheckOptions: {trainlint.AssumeAccelerator: never}}' %s -- -I%mock/torch -I%mock -std=c++17 -DCPU_ONLY 2>&1 | %FileCheck %s --check-prefix=CHECK-CPU-ONLY --allow-empty
// CHECK-CPU-ONLY-NOT: {{warning|error}}:

#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

#ifndef CPU_ONLY
torch::Device pickDevice() {
  return torch::Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
}
#else
torch::Device pickDevice() { return torch::Device(torch::kCPU); }
#endif

// Outside any loop: still a host allocation, a fill and a copy for nothing.
void setup(torch::Device device, const torch::Tensor &x,
           const std::vector<float> &values) {
  auto a = torch::zeros({2, 3}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'torch::zeros' creates the tensor on the host and 'to()' then copies it to the device; create it on the device with 'TensorOptions().device(...)' [torch-sync-create-then-move]
  // CHECK-FIXES: {{^}}  auto a = torch::zeros({2, 3}, torch::TensorOptions().device(device));{{$}}
  auto b = torch::ones({4}, torch::kFloat).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'torch::ones' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto b = torch::ones({4}, torch::TensorOptions(torch::kFloat).device(device));{{$}}
  auto e = at::zeros({3}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'at::zeros' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto e = at::zeros({3}, at::TensorOptions().device(device));{{$}}
  auto h = torch::linspace(0, 1, 5).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: 'torch::linspace' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto h = torch::linspace(0, 1, 5, torch::TensorOptions().device(device));{{$}}
  auto i = torch::empty({8}).to(x.device());
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::empty' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto i = torch::empty({8}, torch::TensorOptions().device(x.device()));{{$}}
  auto j = torch::zeros({2})
               .to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto j = torch::zeros({2}, torch::TensorOptions().device(device));{{$}}
  auto k = torch::tensor(values).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'torch::tensor' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto k = torch::tensor(values, torch::TensorOptions().device(device));{{$}}
#ifndef CPU_ONLY
  auto c = torch::full({2}, 1.5).to(torch::kCUDA);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'torch::full' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto c = torch::full({2}, 1.5, torch::TensorOptions().device(torch::kCUDA));{{$}}
  auto d = torch::arange(10).cuda();
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::arange' creates the tensor on the host and 'cuda()' then copies it to the device; create it on the device with 'TensorOptions().device(...)'
  // CHECK-FIXES: {{^}}  auto d = torch::arange(10, torch::TensorOptions().device(torch::kCUDA));{{$}}
  auto f = at::ones({3}).cuda();
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'at::ones' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto f = at::ones({3}, at::TensorOptions().device(at::kCUDA));{{$}}
  auto g = torch::eye(3).to(torch::Device(torch::kCUDA, 1));
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'torch::eye' creates the tensor on the host
  // CHECK-FIXES: {{^}}  auto g = torch::eye(3, torch::TensorOptions().device(torch::Device(torch::kCUDA, 1)));{{$}}
#endif

  // Reported, but the rewrite is not certainly safe: a note suggests it.
  // On the device, random factories draw from another generator.
  auto r = torch::rand({2}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'torch::rand' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'torch::TensorOptions().device(device)' to 'torch::rand' instead; not fixed automatically because the factory draws random numbers, and on the device it draws a different random stream
  // CHECK-FIXES: {{^}}  auto r = torch::rand({2}).to(device);{{$}}
  auto rn = torch::randn({2}, torch::kHalf).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'torch::randn' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: pass 'torch::TensorOptions().device(device)' to 'torch::randn' instead; not fixed automatically because the factory draws random numbers
  // CHECK-FIXES: {{^}}  auto rn = torch::randn({2}, torch::kHalf).to(device);{{$}}
  auto ri = torch::randint(10, {2}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: 'torch::randint' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: {{.*}} because the factory draws random numbers
  // CHECK-FIXES: {{^}}  auto ri = torch::randint(10, {2}).to(device);{{$}}
  // 'to()' also converts the dtype, or copies without blocking.
  auto m = torch::zeros({2}).to(device, torch::kHalf);
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'torch::TensorOptions().device(device)' to 'torch::zeros' instead; not fixed automatically because 'to()' has more arguments than the device
  // CHECK-FIXES: {{^}}  auto m = torch::zeros({2}).to(device, torch::kHalf);{{$}}
  auto n = torch::zeros({2}).to(device, /*non_blocking=*/true);
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because 'to()' has more arguments than the device
  // CHECK-FIXES: {{^}}  auto n = torch::zeros({2}).to(device, /*non_blocking=*/true);{{$}}
  // requires_grad on the device would make a leaf where the copy was none.
  auto o = torch::zeros({2}, torch::requires_grad()).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:54: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the factory's options set more than the dtype
  // CHECK-FIXES: {{^}}  auto o = torch::zeros({2}, torch::requires_grad()).to(device);{{$}}
  auto p = torch::ones({2}, torch::dtype(torch::kFloat)).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:58: warning: 'torch::ones' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the factory's options set more than the dtype
  // CHECK-FIXES: {{^}}  auto p = torch::ones({2}, torch::dtype(torch::kFloat)).to(device);{{$}}
  // The target is written as options, not as a device.
  auto q = torch::zeros({2}).to(torch::TensorOptions().device(device));
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'torch::TensorOptions().device(...)' to 'torch::zeros' instead; not fixed automatically because the device is not a 'torch::Device' or 'torch::DeviceType'
  // CHECK-FIXES: {{^}}  auto q = torch::zeros({2}).to(torch::TensorOptions().device(device));{{$}}
  // The device is computed by a call, which would move before the factory's
  // own arguments.
  auto s = torch::zeros({2}).to(pickDevice());
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the device expression would be evaluated at another moment
  // CHECK-FIXES: {{^}}  auto s = torch::zeros({2}).to(pickDevice());{{$}}
  // Parentheses around the factory: the removal would leave one behind.
  auto t = (torch::zeros({2})).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: {{.*}} because other code stands between the factory and the move
  // CHECK-FIXES: {{^}}  auto t = (torch::zeros({2})).to(device);{{$}}

  // Silent: from_blob wraps memory the program already has on the host.
  float buffer[4] = {};
  auto u = torch::from_blob(buffer, {4}).to(device);
  // Silent: to the host, or to the meta device, copies nothing.
  auto v = torch::zeros({2}).to(torch::kCPU);
  auto w = torch::zeros({2}).to(c10::kMeta);
  // Silent: to(dtype) converts on the host.
  auto y = torch::zeros({2}).to(torch::kHalf);
  // Silent: created on the device already; the move copies nothing.
  auto z = torch::zeros({2}, torch::TensorOptions().device(device));
  auto z2 = torch::zeros({2}, torch::TensorOptions().device(device)).to(device);
  // Silent: options held elsewhere may only set the dtype.
  torch::TensorOptions options = torch::TensorOptions().dtype(torch::kFloat);
  options = options.requires_grad(true);
  auto aa = torch::zeros({2}).to(options);
  // Silent: options we cannot see may name a device.
  auto ab = torch::zeros({2}, options).to(device);
  // Silent (FIXME): created, then moved in another statement.
  auto bb = torch::zeros({2});
  bb = bb.to(device);
}

// Factories that create where another tensor lives: reported only when that
// tensor is provably on the host, and never fixed.
void inherit(torch::Device device, const torch::Tensor &x) {
  auto host = torch::zeros({4});
  auto onDevice = x.to(device);
  auto a = torch::zeros_like(host).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'torch::zeros_like' creates the tensor on the host and 'to()' then copies it to the device; create it on the device with 'TensorOptions().device(...)'
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'torch::TensorOptions().device(device)' to 'torch::zeros_like' instead; not fixed automatically because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto a = torch::zeros_like(host).to(device);{{$}}
  auto b = at::ones_like(host).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'at::ones_like' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'at::TensorOptions().device(device)' to 'at::ones_like' instead; not fixed automatically because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto b = at::ones_like(host).to(device);{{$}}
  // The options name the CPU, whatever x is.
  auto c = torch::full_like(x, 2.0, torch::kCPU).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: 'torch::full_like' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto c = torch::full_like(x, 2.0, torch::kCPU).to(device);{{$}}
  auto d = torch::randn_like(host).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'torch::randn_like' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the factory draws random numbers, and on the device it draws a different random stream
  // CHECK-FIXES: {{^}}  auto d = torch::randn_like(host).to(device);{{$}}
  auto e = host.new_zeros({2}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'new_zeros()' creates the tensor on the host and 'to()' then copies it to the device; create it on the device with 'TensorOptions().device(...)'
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'at::TensorOptions().device(device)' to 'new_zeros()' instead; not fixed automatically because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto e = host.new_zeros({2}).to(device);{{$}}

  // Other ways to move: the device of another tensor, and backends.
  auto f = torch::zeros({2}).to(onDevice);
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::zeros' creates the tensor on the host and 'to()' then copies it to the device
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'torch::TensorOptions().device(...)' to 'torch::zeros' instead; not fixed automatically because 'to()' takes the device and the dtype of another tensor
  // CHECK-FIXES: {{^}}  auto f = torch::zeros({2}).to(onDevice);{{$}}
  auto g = torch::zeros({2}).to(onDevice.options());
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the device is not a 'torch::Device' or 'torch::DeviceType'
  // CHECK-FIXES: {{^}}  auto g = torch::zeros({2}).to(onDevice.options());{{$}}
#ifndef CPU_ONLY
  auto h = torch::ones({2}).toBackend(at::Backend::CUDA);
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'torch::ones' creates the tensor on the host and 'toBackend()' then copies it to the device
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the device is not a 'torch::Device' or 'torch::DeviceType'
  // CHECK-FIXES: {{^}}  auto h = torch::ones({2}).toBackend(at::Backend::CUDA);{{$}}
  auto i = host.new_ones({2}).cuda();
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'new_ones()' creates the tensor on the host and 'cuda()' then copies it to the device
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: pass 'at::TensorOptions().device(at::kCUDA)' to 'new_ones()' instead; not fixed automatically because the factory takes the rest of its options from another tensor
  // CHECK-FIXES: {{^}}  auto i = host.new_ones({2}).cuda();{{$}}
#endif

  // Silent: created where x is, which may be the device.
  auto j = torch::zeros_like(x).to(device);
  auto k = x.new_zeros({2}).to(device);
  auto l = torch::empty_like(onDevice).to(device);
  // Silent: the options put the tensor on the device.
  auto m = torch::zeros_like(host, torch::TensorOptions().device(device)).to(device);
  auto n = host.new_zeros({2}, torch::TensorOptions().device(device)).to(device);
  // Silent: a dtype conversion, with non_blocking or through toType(), stays
  // on the host.
  auto o = torch::zeros({2}).to(torch::kHalf, /*non_blocking=*/false);
  auto p = torch::zeros({2}).toType(torch::kHalf);
  auto q = torch::zeros_like(host).to(torch::kHalf);
  // Silent: to a tensor on the host, or to the CPU, copies nothing.
  auto r = torch::zeros({2}).to(host);
  auto s = torch::zeros_like(host).cpu();
}

// In the training loop the copy repeats on every step.
void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  torch::Device device = pickDevice();
  for (int step = 0; step < 1000; ++step) {
    auto mask = torch::ones({64}).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: 'torch::ones' creates the tensor on the host and 'to()' then copies it to the device, on every iteration of the training loop; create it on the device with 'TensorOptions().device(...)'
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    // CHECK-FIXES: {{^}}    auto mask = torch::ones({64}, torch::TensorOptions().device(device));{{$}}
    auto noise = torch::randn({64}).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: 'torch::randn' creates the tensor on the host and 'to()' then copies it to the device, on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-2]]:18: note: {{.*}} because the factory draws random numbers
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: training loop starts here
    // CHECK-FIXES: {{^}}    auto noise = torch::randn({64}).to(device);{{$}}
    auto loss = model->forward(x * mask + noise).sum();
    loss.backward();
    optimizer.step();
    // Every 100 steps: reported as code that runs rarely, still fixed.
    if (step % 100 == 0) {
      auto probe = torch::zeros({1}).to(device);
      // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'torch::zeros' creates the tensor on the host and 'to()' then copies it to the device; create it on the device with 'TensorOptions().device(...)'
      // CHECK-FIXES: {{^}}      auto probe = torch::zeros({1}, torch::TensorOptions().device(device));{{$}}
    }
  }
}

// A template is reported in its instantiation, and once even where its
// pattern is resolved too, but never fixed: one rewrite would have to suit
// every instantiation.
template <typename T> torch::Tensor filled(T value, torch::Device device) {
  auto constant = torch::zeros({4}).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:19: note: {{.*}} because the code is in a template, where one rewrite must suit every instantiation
  // CHECK-FIXES: {{^}}  auto constant = torch::zeros({4}).to(device);{{$}}
  auto full = torch::full({4}, value).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'torch::full' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: {{.*}} because the code is in a template
  // CHECK-FIXES: {{^}}  auto full = torch::full({4}, value).to(device);{{$}}
  return constant + full;
}
torch::Tensor useFilled(torch::Device device) { return filled(1.5, device); }

// A macro: reported, never fixed.
#define ZEROS(n) torch::zeros({n})
#define ON_DEVICE(t) (t).to(device)
void withMacros(torch::Device device) {
  auto a = ZEROS(4).to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'torch::zeros' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: {{.*}} because the code involves a macro
  // CHECK-FIXES: {{^}}  auto a = ZEROS(4).to(device);{{$}}
  auto b = ON_DEVICE(torch::ones({4}));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'torch::ones' creates the tensor on the host
  // CHECK-MESSAGES: :[[@LINE-2]]:22: note: {{.*}} because the code involves a macro
  // CHECK-FIXES: {{^}}  auto b = ON_DEVICE(torch::ones({4}));{{$}}
}
