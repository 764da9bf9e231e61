// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-item,torch-sync-host-to-device %t --checks='-*,torch-sync-item,torch-sync-host-to-device'

// The genuine libtorch headers: a training step whose device is chosen by the
// caller, in another file, as in most multi-file projects. This file names no
// accelerator, yet its device may be one: the per-step item() and copy are
// reported.

#include <torch/torch.h>

double train_epoch(torch::nn::Linear &model, torch::optim::SGD &opt,
                   const torch::Device &device,
                   const std::vector<torch::Tensor> &xs) {
  double total = 0;
  for (const auto &x : xs) {
    auto in = x.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'to()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop; copy from pinned memory with 'non_blocking=true' [torch-sync-host-to-device]
    // CHECK-MESSAGES: :[[@LINE-2]]:15: note: pin the host tensor
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    opt.zero_grad();
    auto loss = model->forward(in).sum();
    loss.backward();
    opt.step();
    total += loss.item<double>();
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // CHECK-MESSAGES: :[[@LINE-11]]:3: note: training loop starts here
  }
  return total;
}
