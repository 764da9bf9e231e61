// RUN: %check_trainlint %s torch-loop-invariant-tensor %t
// The per-step buffers are reported at level 2 only.
// RUN: %check_trainlint %s torch-loop-invariant-tensor %t --check-prefix=CHECK-LEVEL2 --config="{CheckOptions: {trainlint.Level: 2}}"

#include <torch/torch.h>

#include <functional>
#include <utility>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Device device, int64_t n) {
  for (int step = 0; step < 1000; ++step) {
    auto out = model->forward(x);
    auto mask = torch::ones({64, 64});
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'torch::ones' creates the same tensor on every iteration of the training loop; create it once before the loop [torch-loop-invariant-tensor]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: hoisted before this loop: 'const torch::Tensor mask = torch::ones({64, 64});'
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    // CHECK-LEVEL2: :[[@LINE-4]]:17: warning: 'torch::ones' creates the same tensor
    auto positions = torch::arange(n).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'torch::arange' creates the same tensor on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: hoisted before this loop: 'const torch::Tensor positions = torch::arange(n).to(device);'
    // CHECK-LEVEL2: :[[@LINE-3]]:22: warning: 'torch::arange' creates
    auto eye = at::eye(n, torch::TensorOptions().device(device));
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'at::eye' creates the same tensor
    // CHECK-LEVEL2: :[[@LINE-2]]:16: warning: 'at::eye' creates
    auto target = torch::full({n}, 0.5, x.options());
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'torch::full' creates the same tensor
    // CHECK-LEVEL2: :[[@LINE-2]]:19: warning: 'torch::full' creates
    auto weights = torch::tensor(std::vector<double>{0.2, 0.3, 0.5});
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'torch::tensor' creates the same tensor
    // CHECK-LEVEL2: :[[@LINE-2]]:20: warning: 'torch::tensor' creates
    // Used directly as an operand of a varying expression.
    auto shifted = out + torch::linspace(0, 1, 64);
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'torch::linspace' creates the same tensor
    // CHECK-MESSAGES: :[[@LINE-23]]:3: note: hoisted before this loop: 'const torch::Tensor linspace = torch::linspace(0, 1, 64);'
    // CHECK-LEVEL2: :[[@LINE-3]]:26: warning: 'torch::linspace' creates
    auto loss = torch::mse_loss(shifted * mask + positions + eye + weights, target);

    // A per-step buffer: written in place later in the iteration.
    auto total = torch::zeros({1});
    // CHECK-LEVEL2: :[[@LINE-1]]:18: warning: 'torch::zeros' allocates a buffer on every iteration of the training loop and writes into it; allocate one before the loop and reset it in place on each iteration
    // CHECK-LEVEL2: :[[@LINE-30]]:3: note: allocated before this loop: 'torch::Tensor total = torch::zeros({1});'
    total += loss;
    auto filled = torch::zeros({4});
    // CHECK-LEVEL2: :[[@LINE-1]]:19: warning: 'torch::zeros' allocates a buffer
    filled.fill_(2);
    auto copied = torch::zeros({4});
    // CHECK-LEVEL2: :[[@LINE-1]]:19: warning: 'torch::zeros' allocates a buffer
    copied.select(0, 0).copy_(loss);
    auto indexed = torch::zeros({4});
    // CHECK-LEVEL2: :[[@LINE-1]]:20: warning: 'torch::zeros' allocates a buffer
    indexed[0] = 1;

    (total + filled + copied + indexed).sum().backward();
    optimizer.step();
  }
}

// Negative cases, each with the reason it must stay silent.
struct Holder {
  torch::Tensor kept_;
  std::vector<torch::Tensor> history_;
  void silent(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
              torch::Tensor y, int64_t n) {
    // Before the loop: made once.
    auto before = torch::ones({4});
    for (int step = 0; step < 1000; ++step) {
      auto out = model->forward(x);
      // Its size follows the step: it varies.
      auto ramp = torch::arange(step);
      // Its options follow a tensor that changes in the loop.
      auto like = torch::zeros({4}, out.options());
      // Random factories draw new values each time.
      auto noise = torch::rand({4});
      // Stored into a member or a container: the tensors would be shared.
      kept_ = torch::zeros({4});
      history_.push_back(torch::ones({4}));
      auto stored = torch::ones({4});
      history_.push_back(stored);
      // Moved, or passed by non-const reference.
      auto moved = torch::ones({4});
      auto taken = std::move(moved);
      // Captured by a lambda.
      auto captured = torch::ones({4});
      std::function<torch::Tensor()> later = [captured] { return captured; };
      // Under a rare condition on the step counter.
      if (step % 100 == 0)
        y = y + torch::ones({4});
      // Part of a larger invariant expression: torch-loop-invariant-forward
      // reports the whole of it.
      auto causal = torch::ones({n, n}).triu(1);
      auto loss = (out + ramp + like + noise + taken + causal).sum();
      loss.backward();
      optimizer.step();
      // After the optimizer step its size changes: x is reassigned.
      x = out;
    }
    // After the loop.
    auto after = torch::ones({4});
  }
};

// A helper called from the training loop: invariant over its body when its
// parameters do not shape the factory.
torch::Tensor scale(const torch::Tensor &x) {
  return x * torch::full({1}, 2.0);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'torch::full' creates the same tensor on every iteration of the training loop; create it once and pass it in or keep it in a member
  // CHECK-MESSAGES: :[[@LINE-2]]:14: note: made once, outside the function: 'const torch::Tensor full = torch::full({1}, 2.0);'
  // CHECK-MESSAGES: :[[@LINE+14]]:32: note: 'scale' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+12]]:3: note: training loop starts here
  // CHECK-LEVEL2: :[[@LINE-5]]:14: warning: 'torch::full' creates
}
// Shaped by a parameter, or returned: silent.
torch::Tensor ramp(int64_t n) { return torch::arange(n); }
torch::Tensor fresh() { return torch::zeros({4}); }
torch::Tensor shapedByParameter(const torch::Tensor &x, int64_t n) {
  return x + torch::ones({n});
}

void trainWithHelpers(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
                      int64_t n) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(scale(x) + ramp(n) + fresh() +
                               shapedByParameter(x, step))
                    .sum();
    loss.backward();
    optimizer.step();
  }
}

// A loop that neither trains nor evaluates is not the hot path.
void prepare(std::vector<torch::Tensor> &out) {
  for (int i = 0; i < 10; ++i) {
    auto z = torch::zeros({4});
    out.push_back(z + 1);
  }
}

// Templates: reported once, in their instantiation.
template <typename T>
void trainTemplate(Net &model, torch::optim::SGD &optimizer, T x) {
  for (int step = 0; step < 10; ++step) {
    auto bias = torch::ones({8});
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'torch::ones' creates the same tensor on every iteration of the training loop
    // CHECK-LEVEL2: :[[@LINE-2]]:17: warning: 'torch::ones' creates
    auto loss = model->forward(x[step] + bias).sum();
    loss.backward();
    optimizer.step();
  }
}
template void trainTemplate<torch::Tensor>(Net &, torch::optim::SGD &, torch::Tensor);

// A macro: reported, with no hoisted text.
#define ONES(n) torch::ones({n})
void withMacro(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(x[step] + ONES(8)).sum();
    // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: 'torch::ones' creates the same tensor
    // CHECK-LEVEL2: :[[@LINE-2]]:42: warning: 'torch::ones' creates
    loss.backward();
    optimizer.step();
  }
}

// A function of the file that writes into its argument makes the tensor a
// per-step buffer (tensors are handles: the copy shares the storage); one
// that only reads it does not.
void halve(torch::Tensor t) { t.mul_(0.5); }
torch::Tensor doubled(const torch::Tensor &t) { return t * 2; }
void trainWithCallees(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto half = torch::ones({8});
    // CHECK-LEVEL2: :[[@LINE-1]]:17: warning: 'torch::ones' allocates a buffer on every iteration of the training loop
    halve(half);
    auto twice = torch::ones({8});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'torch::ones' creates the same tensor on every iteration of the training loop
    // CHECK-LEVEL2: :[[@LINE-2]]:18: warning: 'torch::ones' creates the same tensor
    auto loss = model->forward(x[step] + half + doubled(twice)).sum();
    loss.backward();
    optimizer.step();
  }
}
