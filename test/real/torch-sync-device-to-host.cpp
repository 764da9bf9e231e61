// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-device-to-host %t

// The genuine libtorch headers: every spelling the check matches must exist
// there and resolve as it expects (to() overloads, the CPU device, printing).

#include <torch/torch.h>

#include <iostream>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  torch::Device device(torch::kCUDA, 0);
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto out = model->forward(x.to(device));
    auto loss = torch::mse_loss(out, y.to(device));
    loss.backward();
    optimizer.step();

    auto a = out.cpu();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'cpu()' copies the tensor to the host, which synchronizes with the device on every iteration of the training loop; keep the tensor on the device, or copy it every N steps [torch-sync-device-to-host]
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: training loop starts here
    auto b = out.to(torch::kCPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto c = out.to(torch::Device("cpu"));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto d = out.to(torch::kCPU, torch::kFloat);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto e = out.to(torch::TensorOptions().device(torch::kCPU));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto f = out.to(c10::DeviceType::CPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    std::cout << "loss " << loss << "\n";
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: printing a tensor copies it to the host, which synchronizes with the device on every iteration of the training loop; print it every N steps
    torch::print(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: printing a tensor copies it to the host

    // Other ways to move to the host: to a host tensor, to its options, to
    // the CPU backend.
    auto k = out.to(a);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto l = out.to(a.options());
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto m = out.toBackend(at::Backend::CPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'toBackend()' copies the tensor to the host
    // Silent: a dtype conversion; created where the host copy lives.
    auto n = out.toType(torch::kHalf);
    auto o = out.to(torch::kHalf, /*non_blocking=*/false);
    auto p = torch::zeros_like(a).cpu();
    auto q = a.new_zeros({2}).cpu();

    // Silent: dtype only, another tensor's device, the device, no waiting.
    auto g = out.to(torch::kFloat);
    auto h = out.to(y);
    auto i = out.to(device);
    auto j = out.to(torch::kCPU, /*non_blocking=*/true);
    // Silent: every 10 steps.
    if (step % 10 == 0)
      std::cout << loss << "\n";
  }
}
