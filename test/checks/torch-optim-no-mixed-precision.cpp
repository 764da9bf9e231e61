// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t
// Autocast or a half-precision model anywhere in the program, and a program
// on the CPU, silence every loop of the file:
// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t.autocast --check-prefix=CHECK-AUTOCAST -- -DAUTOCAST_IN_LOOP
// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t.helper --check-prefix=CHECK-HELPER -- -DAUTOCAST_IN_HELPER
// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t.inputs --check-prefix=CHECK-INPUTS -- -DHALF_INPUTS
// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t.half --check-prefix=CHECK-HALF -- -DHALF_MODEL
// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t.cpu --check-prefix=CHECK-CPU -- -DCPU_ONLY
// At the default level the check is off:
// RUN: %check_trainlint %s torch-optim-no-mixed-precision %t.default --checks='-*,torch-optim-no-mixed-*' --check-prefix=CHECK-DEFAULT-LEVEL

#include <torch/torch.h>

// The forward is defined here: a forward defined elsewhere may turn autocast
// on, like any call into code the file does not see (see trainOpaque).
struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc{8, 1};
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

torch::Device pickDevice() {
#ifdef CPU_ONLY
  return torch::Device(torch::kCPU);
#else
  return torch::Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
#endif
}

#ifdef AUTOCAST_IN_HELPER
// Autocast turned on once for the whole run, outside every loop.
void enableMixedPrecision() { at::autocast::set_enabled(true); }
#endif

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Tensor y) {
  auto device = pickDevice();
  x = x.to(device);
  y = y.to(device);
  for (int step = 0; step < 1000; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs every step in full precision on the device, with neither autocast nor a half or bfloat16 model; turn autocast on around the forward pass and the loss (at::autocast::set_enabled(true)) or train in bfloat16, so that matrix products and convolutions run on the tensor cores [torch-optim-no-mixed-precision]
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
    // A loop nested in the step is part of it: no finding of its own.
    for (auto &p : model->parameters())
      p.grad().zero_();
  }
}

#ifdef AUTOCAST_IN_LOOP
// Autocast turned on inside the loop: silent.
void trainAutocast(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
                   torch::Tensor y) {
  for (int step = 0; step < 1000; ++step) {
    at::autocast::set_enabled(true);
    auto loss = torch::mse_loss(model->forward(x.to(pickDevice())), y);
    at::autocast::set_enabled(false);
    loss.backward();
    optimizer.step();
  }
}
#endif

#ifdef HALF_INPUTS
// Inputs in half precision, in a helper the loop calls: silent.
torch::Tensor halfInputs(const torch::Tensor &x) { return x.half(); }
void trainHalfInputs(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
                     torch::Tensor y) {
  for (int step = 0; step < 1000; ++step) {
    auto loss = torch::mse_loss(model->forward(halfInputs(x)), y);
    loss.backward();
    optimizer.step();
  }
}
#endif

// The step is in code this file does not define, which may turn autocast
// on: silent outside a project run.
void customStep(Net &model, torch::optim::SGD &optimizer);
void trainOpaque(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    customStep(model, optimizer);
  }
}

// An evaluation loop has no backward pass: silent.
double evaluate(Net &model, torch::Tensor x) {
  torch::NoGradGuard noGrad;
  double total = 0;
  for (int batch = 0; batch < 10; ++batch)
    total += model->forward(x).sum().item<double>();
  return total;
}

int main() {
  Net model;
#ifdef HALF_MODEL
  // The model converted to half precision before training.
  model->to(torch::kHalf);
#endif
#ifdef AUTOCAST_IN_HELPER
  enableMixedPrecision();
#endif
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  train(model, optimizer, torch::randn({8, 8}), torch::randn({8, 1}));
  return 0;
}
