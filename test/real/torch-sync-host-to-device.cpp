// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-host-to-device %t
// The fixed file still compiles against the genuine headers.
// RUN: %clangxx %torch_flags -fsyntax-only %t.cpp

// The genuine libtorch headers: the non_blocking parameter is found by name in
// every to() overload, and pin_memory() and pinned_memory(true) exist.

#include <torch/torch.h>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  torch::Device device(torch::kCUDA, 0);
  for (int step = 0; step < 100; ++step) {
    auto data = x.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'to()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop; copy from pinned memory with 'non_blocking=true' [torch-sync-host-to-device]
    // CHECK-MESSAGES: :[[@LINE-2]]:17: note: pin the host tensor with 'pin_memory()'
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    auto target = y.to(device, torch::kFloat);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'to()' copies a host tensor to the device
    auto cuda = x.cuda();
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'cuda()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:17: note: 'cuda()' has no 'non_blocking' parameter

    auto pinned = x.pin_memory().to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto pinned = x.pin_memory().to(device, /*non_blocking=*/true);{{$}}
    auto pinnedHalf = x.pin_memory().to(device, torch::kHalf);
    // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto pinnedHalf = x.pin_memory().to(device, torch::kHalf, /*non_blocking=*/true);{{$}}
    auto buffer = torch::empty({64}, torch::TensorOptions().pinned_memory(true));
    auto fromBuffer = buffer.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto fromBuffer = buffer.to(device, /*non_blocking=*/true);{{$}}

    // Silent: asynchronous already; on the device already; to the host; a
    // dtype.
    auto async = x.pin_memory().to(device, /*non_blocking=*/true);
    auto out = model(data);
    auto again = out.to(device);
    auto host = x.to(torch::kCPU);
    auto halves = x.to(torch::kHalf);

    // Other ways to move: to another tensor's device (to(other), its
    // options), and to a backend, which has no non_blocking.
    auto like = x.to(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'to()' copies a host tensor to the device
    auto viaOptions = x.to(out.options());
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'to()' copies a host tensor to the device
    auto backend = x.toBackend(at::Backend::CUDA);
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'toBackend()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:20: note: 'toBackend()' has no 'non_blocking' parameter
    // Silent: dtype conversions; factories that create where another
    // tensor lives, which may be the device.
    auto halves2 = x.to(torch::kHalf, /*non_blocking=*/false);
    auto halves3 = x.toType(torch::kHalf);
    auto zerosLike = torch::zeros_like(x).to(device);
    auto newZeros = x.new_zeros({4}).to(device);
    auto zerosOut = torch::zeros_like(out).to(device);

    auto loss = torch::mse_loss(model->forward(data), target);
    loss.backward();
    optimizer.step();
  }
}
