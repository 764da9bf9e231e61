// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-debug-mode %t

// The genuine libtorch 1.13 headers: DetectAnomalyGuard in
// torch/csrc/autograd/anomaly_mode.h, RecordProfile in the legacy profiler,
// both reached through torch/torch.h.

#include <torch/torch.h>

void trainSteps(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                const torch::Tensor &x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model(x).sum().backward();
    optimizer.step();
  }
}

int main() {
  torch::nn::Linear model(4, 2);
  torch::optim::SGD optimizer(model->parameters(), 0.1);
  torch::Tensor x = torch::randn({8, 4});
  {
#ifndef NDEBUG
    // Silent: a debug build's choice.
    torch::autograd::DetectAnomalyGuard detect;
#endif
    trainSteps(model, optimizer, x);
  }
  torch::autograd::profiler::RecordProfile profile("trace.json");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the autograd profiler is left on around training: {{.*}} [torch-optim-debug-mode]
  trainSteps(model, optimizer, x);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: 'trainSteps' trains here
  return 0;
}
