// RUN: %check_trainlint %s torch-optim-eval-without-no-grad %t

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  NetImpl() { fc = register_module("fc", torch::nn::Linear(4, 2)); }
  // Silent: a module's forward is the model, run by training and evaluation
  // alike.
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc{nullptr};
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};
using Loader = torch::data::DataLoaderBase<torch::data::datasets::MNIST, torch::data::Example<>, std::vector<size_t>>;

//===--- Evaluation functions ------------------------------------------===//

// A loop over a test loader with forward passes and no backward, in a
// function that only evaluates: the guard goes at the function's start.
double evaluate(Net &model, Loader &loader) {
  model->eval();
  torch::Tensor total = torch::zeros({1});
  for (auto &batch : loader) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: evaluation loop runs forward passes with gradient recording on, building an autograd graph on every iteration that no backward uses; turn recording off with 'torch::NoGradGuard' at the start of 'evaluate' [torch-optim-eval-without-no-grad]
    total += model->forward(batch.data).sum();
  }
  // A second evaluation loop: the one guard at the start covers it too, so
  // the function has one finding.
  for (auto &batch : loader)
    total += model(batch.data).sum();
  return 0.0;
}
// CHECK-FIXES: {{^}}double evaluate(Net &model, Loader &loader) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model->eval();{{$}}

// No loop: a function named for evaluation (a word of its name, any case).
void run_validation(Net &model, torch::Tensor x, torch::Tensor &out) {
    out = model->forward(x);
}
// CHECK-MESSAGES: :[[@LINE-3]]:6: warning: 'run_validation' runs forward passes with gradient recording on, building an autograd graph that no backward uses; turn recording off with 'torch::NoGradGuard' at its start [torch-optim-eval-without-no-grad]
// CHECK-FIXES: {{^}}void run_validation(Net &model, torch::Tensor x, torch::Tensor &out) {{{$}}
// CHECK-FIXES-NEXT: {{^}}    torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}    out = model->forward(x);{{$}}

// A function that puts the model in evaluation mode evaluates, whatever its
// name; the body on one line gets the guard after its brace.
float report(Net &model, torch::Tensor x) { model->eval(); return model->forward(x).item<float>(); }
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'report' runs forward passes
// CHECK-FIXES: {{^}}float report(Net &model, torch::Tensor x) { torch::NoGradGuard no_grad; model->eval(); return model->forward(x).item<float>(); }{{$}}

// A tensor result may be what a caller backpropagates through: the warning
// without the fix-it.
torch::Tensor testEpoch(Net &model, torch::Tensor x) {
  return model->forward(x);
}
// CHECK-MESSAGES: :[[@LINE-3]]:15: warning: 'testEpoch' runs forward passes
// CHECK-FIXES: {{^}}torch::Tensor testEpoch(Net &model, torch::Tensor x) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  return model->forward(x);{{$}}

// A variable named `no_grad` already: the inserted one would clash.
void predict(Net &model, torch::Tensor x, torch::Tensor &out) {
  bool no_grad = false;
  out = model->forward(x);
}
// CHECK-MESSAGES: :[[@LINE-4]]:6: warning: 'predict' runs forward passes
// CHECK-FIXES: {{^}}void predict(Net &model, torch::Tensor x, torch::Tensor &out) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  bool no_grad = false;{{$}}

//===--- Evaluation loops in a function that also trains ---------------===//

void fit(Net &model, torch::optim::SGD &optimizer, Loader &train, Loader &test) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : train) {
      optimizer.zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
    torch::Tensor loss = torch::zeros({1});
    for (auto &batch : test) {
      loss += model->forward(batch.data).sum();
    }
    // CHECK-MESSAGES: :[[@LINE-3]]:5: warning: evaluation loop runs forward passes with gradient recording on, building an autograd graph on every iteration that no backward uses; turn recording off with 'torch::NoGradGuard' in the loop [torch-optim-eval-without-no-grad]
  }
}
// CHECK-FIXES: {{^}}    for (auto &batch : test) {{{$}}
// CHECK-FIXES-NEXT: {{^}}      torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}      loss += model->forward(batch.data).sum();{{$}}

//===--- Silent ---------------------------------------------------------===//

// The guard at the start, as in pytorch/examples' mnist test().
void testGuarded(Net &model, Loader &loader) {
  torch::NoGradGuard no_grad;
  model->eval();
  for (auto &batch : loader)
    model->forward(batch.data);
}

// The guard in a block around the loop, in the loop, or another spelling.
void evaluateScoped(Net &model, Loader &loader) {
  {
    c10::InferenceMode guard;
    for (auto &batch : loader)
      model->forward(batch.data);
  }
  for (auto &batch : loader) {
    torch::AutoGradMode off(false);
    model->forward(batch.data);
  }
}

// Gradients of the inputs are what the forward pass is for (saliency).
void validateSaliency(Net &model, torch::Tensor x, torch::Tensor &out) {
  x.requires_grad_();
  out = model->forward(x);
}

// Forward passes whose backward comes after the loop: a training step.
void trainStep(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  torch::Tensor loss = torch::zeros({1});
  for (int chunk = 0; chunk < 4; ++chunk)
    loss += model->forward(x).sum();
  loss.backward();
  optimizer.step();
}

// Called from a training loop: its result feeds that loop's backward.
static torch::Tensor inferLogits(Net &model, torch::Tensor x) {
  return model->forward(x);
}
void trainWithHelper(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    inferLogits(model, x).sum().backward();
    optimizer.step();
  }
}

// Every call that the unit sees is made under a guard: the program guards
// its evaluation at the call site.
static void testAtCallSite(Net &model, torch::Tensor x, torch::Tensor &out) {
  out = model->forward(x);
}
void caller(Net &model, torch::Tensor x, torch::Tensor &out) {
  torch::NoGradGuard no_grad;
  testAtCallSite(model, x, out);
}

// Neither named for evaluation nor calling eval(): a forward pass of some
// other purpose (`latest` holds no word of evaluation).
void latest(Net &model, torch::Tensor x, torch::Tensor &out) {
  out = model->forward(x);
}

// It calls code that no file at hand defines, which may run a backward.
void logBatch(torch::Tensor out);
void evaluateAndLog(Net &model, Loader &loader) {
  for (auto &batch : loader)
    logBatch(model->forward(batch.data));
}
