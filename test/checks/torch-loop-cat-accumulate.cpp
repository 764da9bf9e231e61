// RUN: %check_trainlint %s torch-loop-cat-accumulate %t

#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

// Gathering predictions over an evaluation loader, as in many test loops.
template <typename Loader>
torch::Tensor predictAll(Net &model, Loader &loader) {
  torch::NoGradGuard noGrad;
  torch::Tensor all;
  for (auto &batch : loader) {
    auto pred = model->forward(batch.data).argmax(1);
    all = torch::cat({all, pred});
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'cat' copies all of 'all' to append to it on every iteration, which takes time quadratic in the number of iterations; collect the parts in a 'std::vector<torch::Tensor>' and concatenate them once after the loop [torch-loop-cat-accumulate]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'all' grows on each iteration of this loop
  }
  return all;
}

torch::Tensor runPredictions(Net &model) {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  return predictAll(model, *loader);
}

// Any loop: the growth is quadratic whether the loop trains or not.
torch::Tensor gather(const std::vector<torch::Tensor> &rows, torch::Tensor seed) {
  torch::Tensor acc = seed;
  for (const auto &row : rows) {
    // The new part first, as a loop that prepends images writes it.
    acc = torch::cat({row, acc}, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'cat' copies all of 'acc' to append to it on every iteration
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'acc' grows on each iteration of this loop
  }
  for (int i = 0; i < 10; ++i) {
    acc = at::cat({acc, seed}, /*dim=*/1);
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'cat' copies all of 'acc'
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'acc' grows
    acc = torch::stack({acc, seed});
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'stack' copies all of 'acc'
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: 'acc' grows
    acc = torch::concat(std::vector<torch::Tensor>{acc, seed});
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'concat' copies all of 'acc'
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: 'acc' grows
  }
  // An epoch loop around a batch loop: the batch loop grows it.
  for (int epoch = 0; epoch < 3; ++epoch) {
    torch::Tensor epochOut;
    for (int b = 0; b < 100; ++b) {
      epochOut = torch::cat({epochOut, seed});
      // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'cat' copies all of 'epochOut'
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: 'epochOut' grows on each iteration of this loop
    }
  }
  return acc;
}

// A member that a helper grows, called on every step of training.
struct Recorder {
  torch::Tensor history_;
  void record(const torch::Tensor &loss) {
    history_ = torch::cat({history_, loss.detach()});
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'cat' copies all of 'history_' to append to it on every iteration of the training loop, which takes time quadratic in the number of steps; collect the parts in a 'std::vector<torch::Tensor>' and concatenate them once when the whole is needed [torch-loop-cat-accumulate]
    // CHECK-MESSAGES: :[[@LINE+12]]:7: note: 'record' is called here, on the training loop path
    // CHECK-MESSAGES: :[[@LINE+7]]:5: note: training loop starts here
  }
  // Called every 100 steps only: it stays small. Silent.
  void recordRarely(const torch::Tensor &loss) {
    history_ = torch::cat({history_, loss.detach()});
  }
  void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
    for (int step = 0; step < 1000; ++step) {
      auto loss = model->forward(x).sum();
      loss.backward();
      optimizer.step();
      record(loss);
      if (step % 100 == 0)
        recordRarely(loss);
    }
  }
};

// Negative cases.
void silent(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
            const std::vector<torch::Tensor> &rows) {
  torch::Tensor window = x;
  torch::Tensor logged = x;
  for (int step = 0; step < 1000; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    // Concatenating per-iteration parts into a fresh tensor: no growth.
    auto pair = torch::cat({x, loss.unsqueeze(0)});
    // A tensor declared in the iteration starts afresh each time.
    torch::Tensor local = x;
    local = torch::cat({local, x});
    // A sliding window keeps its size: a part of it, not all of it.
    window = torch::cat({window.narrow(0, 1, 3), x});
    // Under a rare condition on the step counter: it grows every 100 steps.
    if (step % 100 == 0)
      logged = torch::cat({logged, loss.unsqueeze(0)});
    // Another variable: a fresh tensor from two others.
    window = torch::cat({logged, x});
  }
  // After the loop: once.
  logged = torch::cat({logged, x});
  // The recommended rewrite: parts in a vector, one cat after the loop.
  std::vector<torch::Tensor> parts;
  for (const auto &row : rows)
    parts.push_back(row);
  auto all = torch::cat(parts);
}

// A local of a helper starts afresh on every call, even on the hot path.
torch::Tensor withBias(torch::Tensor x, torch::Tensor bias) {
  torch::Tensor out = x;
  out = torch::cat({out, bias});
  return out;
}
void trainWithBias(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
                   torch::Tensor bias) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(withBias(x, bias)).sum();
    loss.backward();
    optimizer.step();
  }
}

// A macro that appends: reported where it is used.
#define APPEND(acc, part) acc = torch::cat({acc, part})
void withMacro(const std::vector<torch::Tensor> &rows, torch::Tensor acc) {
  for (const auto &row : rows)
    APPEND(acc, row);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cat' copies all of 'acc'
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'acc' grows
}
