// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-data-batch-size-one %t

// The genuine headers: DataLoaderOptions' batch size is a TORCH_ARG whose
// default is 1, make_data_loader's overloads, a dataset of the user's.

#include <torch/torch.h>

struct Points : torch::data::datasets::Dataset<Points> {
  torch::data::Example<> get(size_t index) override {
    return {torch::randn({8}), torch::randn({1})};
  }
  torch::optional<size_t> size() const override { return 1024; }
};

template <typename Loader>
void trainOn(torch::nn::Linear &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (auto &batch : loader) {
    optimizer.zero_grad();
    torch::mse_loss(model->forward(batch.data), batch.target).backward();
    optimizer.step();
  }
}

int main() {
  torch::nn::Linear model(8, 1);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));

  // The default: one example per batch.
  auto single = torch::data::make_data_loader(
      Points().map(torch::data::transforms::Stack<>()));
  // CHECK-MESSAGES: :[[@LINE-2]]:17: warning: data loader yields batches of one example (libtorch's default batch size), so each training step runs the model on a single example and the device idles between small kernels; set a batch size in its options [torch-data-batch-size-one]
  // CHECK-MESSAGES: :[[@LINE+9]]:3: note: the loader is handed to 'trainOn' here
  // CHECK-MESSAGES: :[[@LINE-16]]:3: note: its batches feed this training loop

  // Written out in the options.
  auto one = torch::data::make_data_loader(
      Points().map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(1).workers(2));
  // CHECK-MESSAGES: :[[@LINE-3]]:14: warning: data loader yields batches of one example, so each training step
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: the loader is handed to 'trainOn' here
  trainOn(model, optimizer, *single);
  trainOn(model, optimizer, *one);

  // A real batch size: silent.
  auto batched = torch::data::make_data_loader(
      Points().map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(64).workers(2));
  trainOn(model, optimizer, *batched);
}
