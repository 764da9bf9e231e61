// RUN: %check_trainlint %s torch-loop-per-sample-forward %t

#include <torch/torch.h>

#include <vector>

using namespace torch::indexing;

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

torch::Tensor predict(Net &model, const torch::Tensor &batch) {
  std::vector<torch::Tensor> outputs;
  for (int64_t i = 0; i < batch.size(0); ++i)
    outputs.push_back(model->forward(batch[i]));
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: the module runs once per sample of 'batch'; call it once on the whole batch [torch-loop-per-sample-forward]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' takes one sample at a time
  return torch::stack(outputs);
}

void moreSpellings(Net &model, torch::nn::Linear &linear, torch::Tensor x,
                   torch::Device device) {
  for (auto i : c10::irange(x.size(0))) {
    auto a = model(x[i].unsqueeze(0));
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the module runs once per sample of 'x'; call it once on the whole batch [torch-loop-per-sample-forward]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' takes one sample at a time
    auto b = linear->forward(x.select(0, i));
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: the module runs once per sample of 'x'
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: the loop over 'i'
    auto c = linear(x.index({i, Slice()}));
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the module runs once per sample of 'x'
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: the loop over 'i'
    auto d = linear->forward(x.narrow(0, i, 1));
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: the module runs once per sample of 'x'
    // CHECK-MESSAGES: :[[@LINE-12]]:3: note: the loop over 'i'
    // Through a local variable that holds the sample.
    auto sample = x[i].to(device);
    auto e = model->forward(sample);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the module runs once per sample of 'x'
    // CHECK-MESSAGES: :[[@LINE-17]]:3: note: the loop over 'i'
  }
}

// Once for all instantiations of a template.
template <typename T> T scoreAll(Net &model, const torch::Tensor &batch) {
  T total = 0;
  for (int64_t i = 0; i < batch.size(0); ++i)
    total += model->forward(batch[i]).sum().template item<T>();
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the module runs once per sample of 'batch'
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i'
  return total;
}
float scoreFloat(Net &m, const torch::Tensor &b) { return scoreAll<float>(m, b); }
double scoreDouble(Net &m, const torch::Tensor &b) { return scoreAll<double>(m, b); }

// A macro around the call: reported where the call is spelled.
#define RUN(m, x) (m)->forward(x)
void withMacro(Net &model, const torch::Tensor &batch) {
  for (int64_t i = 0; i < batch.size(0); ++i)
    RUN(model, batch[i]);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the module runs once per sample of 'batch'
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i'
}

struct Wrapper {
  torch::Tensor forward(const torch::Tensor &x);
};

// Negative cases: each must stay silent.
void silent(Net &model, std::vector<torch::nn::Linear> &heads,
            torch::nn::Linear &cell, Wrapper &wrapper, torch::Tensor x,
            torch::Tensor seq) {
  // The whole batch in one call.
  auto all = model->forward(x);
  // A different module for each index: one call cannot replace them.
  for (size_t k = 0; k < heads.size(); ++k)
    heads[k]->forward(x[k]);
  // A recurrent cell stepped over time: each step needs the previous state.
  auto h = torch::zeros({1, 16});
  for (int64_t t = 0; t < seq.size(0); ++t)
    h = cell->forward(torch::cat({seq[t], h}, 1));
  // The loop's counter indexes another dimension (time steps of a batch).
  for (int64_t t = 0; t < seq.size(1); ++t)
    model->forward(seq.select(1, t));
  // The same sample on each iteration: another check's concern.
  for (int64_t i = 0; i < 10; ++i)
    model->forward(x[0]);
  // Not a module: the class may batch inside.
  for (int64_t i = 0; i < x.size(0); ++i)
    wrapper.forward(x[i]);
  // One iteration.
  for (int64_t i = 0; i < 1; ++i)
    model->forward(x[i]);
}
