// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-data-unbatched %t

// The genuine headers: a loader over a dataset without Stack yields
// std::vector<Example<>> batches in libtorch 1.13.

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(4, 2))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};
TORCH_MODULE(Net);

struct Rows : torch::data::datasets::Dataset<Rows> {
  torch::data::Example<> get(size_t index) override {
    return {torch::ones({4}) * static_cast<double>(index), torch::zeros({1})};
  }
  torch::optional<size_t> size() const override { return 64; }
};

void perExample(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(Rows(), 8);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    for (auto &example : batch)
      model->forward(example.data).sum().backward();
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the model runs once per example of each batch, since the dataset has no collation and the loader yields a 'std::vector' of examples; add '.map(torch::data::transforms::Stack<>())' to the dataset and run the model once per batch [torch-data-unbatched]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE-7]]:47: note: stack the examples into one batch here; the loop then gets an 'Example<>' whose 'data' holds the whole batch
      // CHECK-MESSAGES: :[[@LINE-7]]:3: note: training loop starts here
    optimizer.step();
  }
}

// Stacked: one forward per batch, silent.
void stacked(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      Rows().map(torch::data::transforms::Stack<>()), 8);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
