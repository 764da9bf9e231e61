// Named explicitly, the level 2 check runs whatever the configured level.
// RUN: %check_trainlint %s torch-sync-data-dependent-shape %t
//
// Through a wildcard, it is off at the default level (1): no message at all
// (no CHECK-DEFAULT-LEVEL line expects one).
// RUN: %check_trainlint %s torch-sync-data-dependent-shape %t --checks='-*,torch-*' --check-prefix=CHECK-DEFAULT-LEVEL
//
// Through a wildcard with `trainlint.Level: 2`, it runs.
// RUN: %check_trainlint %s torch-sync-data-dependent-shape %t --checks='-*,torch-sync-data-*' --config='{CheckOptions: {trainlint.Level: 2}}'
//
// A program that never names an accelerator keeps every tensor on the CPU,
// where learning a size costs nothing: no message (no CHECK-CPU-ONLY line).
// RUN: %check_trainlint %s torch-sync-data-dependent-shape %t --check-prefix=CHECK-CPU-ONLY -- -DCPU_ONLY

#include <torch/torch.h>

#include <cstdio>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

#ifndef CPU_ONLY
torch::Device pickDevice() { return torch::Device(torch::kCUDA); }
#endif

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Tensor labels) {
  // Before the loop: runs once.
  auto classes = torch::_unique(labels);

  for (int step = 0; step < 1000; ++step) {
    auto out = model->forward(x);
    auto mask = out > 0;
    auto idx = out.nonzero();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'nonzero()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; keep the shape static by using the mask itself: 'torch::where(mask, x, y)', 'masked_fill' or a multiplication by the mask [torch-sync-data-dependent-shape]
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    auto idx2 = torch::nonzero(mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::nonzero()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; keep the shape static by using the mask itself
    auto pos = out.argwhere();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'argwhere()' has an output size that depends on tensor values
    auto pos2 = torch::argwhere(mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::argwhere()' has an output size
    auto perDim = out.nonzero_numpy();
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'nonzero_numpy()' has an output size
    auto coords = torch::where(mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'at::where()' with only a condition has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; keep the shape static by using the mask itself
    auto picked = out.masked_select(mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'masked_select()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; keep the shape static: 'torch::where(mask, x, torch::zeros_like(x))' or 'x * mask', then reduce over the whole tensor
    auto picked2 = torch::masked_select(out, mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'at::masked_select()' has an output size
    auto seen = torch::_unique(labels);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::_unique()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; count into a fixed-size tensor ('one_hot', 'scatter_add_') or compute it once outside the loop
    auto runs = at::unique_consecutive(labels);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::unique_consecutive()' has an output size
    auto rows = torch::unique_dim(out, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::unique_dim()' has an output size

    // The three-argument where keeps the shape: silent (it is the fix).
    auto kept = torch::where(mask, out, x);
    // masked_fill keeps the shape: silent (it is the fix too).
    auto filled = out.masked_fill(mask, 0);

    auto loss = (kept + filled).sum();
    loss.backward();
    optimizer.step();
  }

  // After the loop: runs once.
  auto after = x.nonzero();
}

void maskIndexing(Net &model, torch::optim::Adam &optimizer, torch::Tensor x,
                  torch::Tensor y, torch::Tensor someMask) {
  using torch::indexing::Slice;
  for (int step = 0; step < 1000; ++step) {
    auto out = model->forward(x);
    auto a = out.index({out > 0});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask turns a boolean mask into indices whose number depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; keep the shape static: 'torch::where(mask, x, torch::zeros_like(x))' or 'x * mask' [torch-sync-data-dependent-shape]
    // CHECK-MESSAGES: :[[@LINE-2]]:25: note: this index is a boolean mask
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    auto valid = out.isnan().logical_not();
    auto b = out.index({Slice(), valid});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask
    // CHECK-MESSAGES: :[[@LINE-2]]:34: note: this index is a boolean mask
    auto c = out.index({~(out == 0)});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask
    auto d = out.index({(out >= 1) | (out <= -1)});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask
    auto e = out.index({y.to(torch::kBool)});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask
    auto f = out.index({torch::logical_or(out.lt(0), out.isinf())});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask
    auto g = out.index({out.ne(0) & someMask});
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'index()' with a boolean mask
    out.index_put_({out < 0}, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'index_put_()' with a boolean mask turns a boolean mask into indices whose number depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; use 'masked_fill_(mask, value)' or 'torch::where(mask, value, x)', which need no indices
    // CHECK-MESSAGES: :[[@LINE-2]]:21: note: this index is a boolean mask

    // An integer index tensor has as many entries as it has: silent.
    auto h = out.index({out.argmax()});
    // Integers and slices: silent.
    auto i = out.index({0, Slice()});
    // A parameter's dtype is not known here; it may hold indices: silent.
    auto j = out.index({someMask});
    // `!=` between plain integers inside an index is no tensor: silent.
    auto k = out.index({step != 0 ? 1 : 0});

    (a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.sum() + g.sum() +
     h.sum() + i.sum() + j.sum() + k.sum())
        .backward();
    optimizer.step();
  }
}

void gated(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  std::tuple<torch::Tensor, torch::Tensor> seen;
  for (int step = 0; step < 1000; ++step) {
    auto out = model->forward(x);
    // Every 100 steps: amortized, silent.
    if (step % 100 == 0)
      std::printf("%d active\n", int(out.nonzero().size(0)));
    // Only during the first 10 steps: silent.
    if (step < 10)
      seen = torch::_unique(out);
    // In a declaration under the condition: silent too.
    if (step % 50 == 0) {
      auto rows = out.argwhere();
      std::printf("%d rows\n", int(rows.size(0)));
    }
    out.sum().backward();
    optimizer.step();
  }
}

// A helper called from the loop: the notes name the call chain.
torch::Tensor activeRows(const torch::Tensor &t) {
  return t.nonzero();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'nonzero()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+8]]:17: note: 'activeRows' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: training loop starts here
}

void trainWithHelper(Net &model, torch::optim::SGD &optimizer,
                     torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto out = model->forward(x);
    auto rows = activeRows(out);
    out.sum().backward();
    optimizer.step();
  }
}

// Epoch loop around a step loop: code between the two runs once per epoch.
void epochs(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    torch::Tensor last;
    for (int step = 0; step < 100; ++step) {
      last = model->forward(x);
      last.sum().backward();
      optimizer.step();
    }
    auto dead = (last == 0).nonzero();
  }
}

// A loop that neither trains nor evaluates is not the hot path.
void summarize(const std::vector<torch::Tensor> &ts) {
  for (const auto &t : ts)
    std::printf("%d\n", int(t.nonzero().size(0)));
}

// An evaluation loop, in a function template instantiated twice: one finding
// at its one place.
template <typename Loader> void evaluate(Net &model, Loader &loader) {
  torch::NoGradGuard noGrad;
  for (auto &batch : loader) {
    auto pred = model->forward(batch.data);
    auto wrong = pred.masked_select(pred != 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'masked_select()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the evaluation loop
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: evaluation loop starts here
  }
}

void runEvaluation(Net &model) {
  auto train =
      torch::data::make_data_loader(torch::data::datasets::MNIST("train").map(torch::data::transforms::Stack<>()));
  auto test =
      torch::data::make_data_loader(torch::data::datasets::MNIST("test").map(torch::data::transforms::Stack<>()));
  evaluate(model, *train);
  evaluate(model, *test);
}

// Macros: reported where the call is spelled, or at the macro's use.
#define ACTIVE(t) (t).nonzero()
#define KEEP(expr) (void)(expr)
void withMacros(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto out = model->forward(x);
    auto a = ACTIVE(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'nonzero()' has an output size
    KEEP(out.argwhere());
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'argwhere()' has an output size
    out.sum().backward();
    optimizer.step();
  }
}
