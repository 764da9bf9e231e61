// RUN: %check_trainlint %s torch-optim-debug-mode %t

#include <torch/torch.h>

#include <string>

void trainEpoch(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model(x).sum().backward();
    optimizer.step();
  }
}

//===--- Left on around training ----------------------------------------===//

void anomalyBeforeTheLoop(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                          torch::Tensor x) {
  torch::autograd::AnomalyMode::set_enabled(true);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: anomaly detection is left on around training: every backward checks its gradients for NaN and every operation keeps a stack trace, which slows each step several times; turn it on only under '#ifndef NDEBUG' or a command-line flag [torch-optim-debug-mode]
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: note: training loop starts here
    model(x).sum().backward();
    optimizer.step();
  }
}

void guardInTheLoop(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                    torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    torch::autograd::DetectAnomalyGuard detect;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: anomaly detection is left on around training
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    model(x).sum().backward();
    optimizer.step();
  }
}

int main() {
  torch::nn::Linear model(4, 2);
  torch::optim::SGD optimizer(model->parameters(), 0.1);
  torch::Tensor x = torch::randn({8, 4});
  torch::autograd::profiler::RecordProfile profile("trace.json");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the autograd profiler is left on around training: it records every operation of every step, which slows training and grows its memory; turn it on only under '#ifndef NDEBUG' or a command-line flag [torch-optim-debug-mode]
  trainEpoch(model, optimizer, x);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: 'trainEpoch' trains here
  return 0;
}

//===--- Silent -----------------------------------------------------------===//

// A debug build's choice.
void debugBuildOnly(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                    torch::Tensor x) {
#ifndef NDEBUG
  torch::autograd::AnomalyMode::set_enabled(true);
#endif
#if !defined(MYAPP_NO_DEBUG_TOOLS)
  torch::autograd::DetectAnomalyGuard detect;
#endif
  trainEpoch(model, optimizer, x);
}

// A command-line flag: the user turns it on by choice.
void onRequest(torch::nn::Linear &model, torch::optim::SGD &optimizer,
               torch::Tensor x, bool detectAnomalies, bool profile) {
  torch::autograd::AnomalyMode::set_enabled(detectAnomalies);
  if (profile) {
    torch::autograd::profiler::RecordProfile recording("trace.json");
    trainEpoch(model, optimizer, x);
  }
}

// Turned off; or on around code that does not train.
void noTraining(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                torch::Tensor x) {
  torch::autograd::AnomalyMode::set_enabled(false);
  trainEpoch(model, optimizer, x);
  {
    torch::autograd::DetectAnomalyGuard detect;
    model(x);
  }
  // The guard's block ended before the training.
  trainEpoch(model, optimizer, x);
}
