// RUN: %check_trainlint %s torch-optim-zero-grad-not-none %t

// The mock headers mirror libtorch 2.x, where both Module::zero_grad and
// Optimizer::zero_grad default to set_to_none = true; the real-header test
// (test/real/torch-optim-zero-grad-not-none.cpp) covers 1.13's defaults.

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- Positives: an explicit false -----------------------------------===//

void explicitFalse(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad(false);
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'zero_grad(false)' fills every gradient with zeros; pass 'true' to set the gradients to none, so that the next backward writes them fresh [torch-optim-zero-grad-not-none]
    // CHECK-FIXES: {{^}}    optimizer.zero_grad(true);{{$}}
    model->zero_grad(/*set_to_none=*/false);
    // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'zero_grad(false)' fills every gradient with zeros
    // CHECK-FIXES: {{^}}    model->zero_grad(/*set_to_none=*/true);{{$}}
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// 0 is false too; outside a loop it costs the same memset once per call.
void zeroLiteral(torch::optim::Adam *optimizer, NetImpl &net) {
  optimizer->zero_grad(0);
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'zero_grad(false)' fills every gradient with zeros
  // CHECK-FIXES: {{^}}  optimizer->zero_grad(true);{{$}}
  net.zero_grad(false);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'zero_grad(false)' fills every gradient with zeros
  // CHECK-FIXES: {{^}}  net.zero_grad(true);{{$}}
}

// In a macro: reported, with no fix, which would rewrite every use of the
// macro.
#define CLEAR_GRADIENTS(opt) (opt).zero_grad(false)
void inMacro(torch::optim::SGD &optimizer) {
  CLEAR_GRADIENTS(optimizer);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'zero_grad(false)' fills every gradient with zeros
}

// In a template, once for all its instantiations.
template <typename Optimizer> void clearAll(Optimizer &optimizer) {
  optimizer.zero_grad(false);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'zero_grad(false)' fills every gradient with zeros
  // CHECK-FIXES: {{^}}  optimizer.zero_grad(true);{{$}}
}
void instantiate(torch::optim::SGD &sgd, torch::optim::Adam &adam) {
  clearAll(sgd);
  clearAll(adam);
}

//===--- Negatives ------------------------------------------------------===//

struct Config {
  bool setToNone;
};

void negatives(Net &model, torch::optim::SGD &optimizer, const Config &cfg) {
  // The 2.x defaults set the gradients to none.
  optimizer.zero_grad();
  model->zero_grad();
  // Already true.
  optimizer.zero_grad(true);
  model->zero_grad(true);
  // Chosen at run time.
  optimizer.zero_grad(cfg.setToNone);
}

// A zero_grad of the user's own that is neither a module's nor an
// optimizer's.
struct Accumulator {
  void zero_grad(bool setToNone = false);
};
void ownZeroGrad(Accumulator &acc) {
  acc.zero_grad();
  acc.zero_grad(false);
}
