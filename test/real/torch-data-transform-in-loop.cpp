// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-data-transform-in-loop %t

// The genuine headers: Tensor::to(ScalarType), Tensor::sub/div, Normalize
// and Stack of libtorch 1.13.

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(4, 2))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};
TORCH_MODULE(Net);

struct Rows : torch::data::datasets::Dataset<Rows> {
  torch::data::Example<> get(size_t index) override {
    return {torch::ones({4}, torch::kUInt8), torch::zeros({1})};
  }
  torch::optional<size_t> size() const override { return 64; }
};

void normalizeEachBatch(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      Rows().map(torch::data::transforms::Stack<>()), 8);
  for (auto &batch : *loader) {
    auto x = batch.data.to(torch::kFloat).div(255);
    // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: the batch is normalized with constants on the training thread on every iteration of the training loop; map the normalization onto the dataset ('.map(torch::data::transforms::Normalize<>(mean, stddev))' before Stack, or a TensorLambda), so that the loader's workers do it [torch-data-transform-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

void convertEachExample(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(Rows(), 8);
  for (auto &batch : *loader) {
    std::vector<torch::Tensor> rows;
    for (auto &example : batch)
      rows.push_back(example.data.to(torch::kFloat));
      // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: each example of the batch is converted on its own on the training thread, on every iteration of the training loop; convert it in the dataset's get() or a transform mapped onto the dataset, so that the loader's workers do it [torch-data-transform-in-loop]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(torch::stack(rows)).sum().backward();
    optimizer.step();
  }
}

// Normalize mapped onto the dataset: the loader applies it, silent.
void mapped(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      Rows()
          .map(torch::data::transforms::Normalize<>(0.5, 0.5))
          .map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions(8).workers(2));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
