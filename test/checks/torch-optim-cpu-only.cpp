// RUN: %check_trainlint %s torch-optim-cpu-only %t
// Each way of naming or choosing a device silences the file:
// RUN: %check_trainlint %s torch-optim-cpu-only %t.available --check-prefix=CHECK-AVAILABLE -- -DCHECKS_CUDA
// RUN: %check_trainlint %s torch-optim-cpu-only %t.argument --check-prefix=CHECK-ARGUMENT -- -DDEVICE_FROM_COMMAND_LINE
// RUN: %check_trainlint %s torch-optim-cpu-only %t.parameter --check-prefix=CHECK-PARAMETER -- -DDEVICE_PARAMETER
// RUN: %check_trainlint %s torch-optim-cpu-only %t.always --check-prefix=CHECK-ALWAYS --config="{CheckOptions: {trainlint.AssumeAccelerator: always}}"
// A manual check: off at every level unless named exactly.
// RUN: %check_trainlint %s torch-optim-cpu-only %t.level2 --checks='-*,torch-optim-cpu-*' --config="{CheckOptions: {trainlint.Level: 2}}" --check-prefix=CHECK-LEVEL2

#include <torch/torch.h>

#include <string>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  for (int step = 0; step < 1000; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs on the CPU: the program names no accelerator and chooses no device; pick the device at run time ('torch::cuda::is_available() ? torch::kCUDA : torch::kCPU') and move the model and each batch to it [torch-optim-cpu-only]
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
  }
}

// A second training loop of the same program: the device is one choice,
// reported once.
void finetune(torch::nn::Linear &model, torch::optim::SGD &optimizer,
              torch::Tensor x, torch::Tensor y) {
  for (int step = 0; step < 10; ++step) {
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
  }
}

// An evaluation loop trains nothing: never reported.
double evaluate(torch::nn::Linear &model, torch::Tensor x) {
  double total = 0;
  for (int batch = 0; batch < 10; ++batch)
    total += model->forward(x).sum().item<double>();
  return total;
}

#ifdef DEVICE_PARAMETER
// A device handed in by code this file does not see.
void moveTo(torch::nn::Linear &model, torch::Device device) { model->to(device); }
#endif

int main(int argc, char **argv) {
  // The CPU named as a constant is no choice.
  torch::Device device(torch::kCPU);
#ifdef CHECKS_CUDA
  if (torch::cuda::is_available())
    device = torch::Device(torch::kCUDA);
#endif
#ifdef DEVICE_FROM_COMMAND_LINE
  device = torch::Device(std::string(argv[1]));
#endif
  torch::nn::Linear model(8, 1);
  model->to(device);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  train(model, optimizer, torch::randn({8, 8}), torch::randn({8, 1}));
  finetune(model, optimizer, torch::randn({8, 8}), torch::randn({8, 1}));
  return evaluate(model, torch::randn({8, 8})) > 0;
}
