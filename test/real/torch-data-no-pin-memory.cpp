// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-data-no-pin-memory %t

// The genuine headers: Tensor::to's overloads with non_blocking, pin_memory(),
// a device chosen at run time.

#include <torch/torch.h>

struct Points : torch::data::datasets::Dataset<Points> {
  torch::data::Example<> get(size_t index) override {
    return {torch::randn({8}), torch::randn({1})};
  }
  torch::optional<size_t> size() const override { return 1024; }
};

// get() pins what it returns: the copies overlap.
struct PinnedPoints : torch::data::datasets::Dataset<PinnedPoints> {
  torch::data::Example<> get(size_t index) override {
    return {torch::randn({8}).pin_memory(), torch::randn({1}).pin_memory()};
  }
  torch::optional<size_t> size() const override { return 1024; }
};

int main() {
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  torch::nn::Linear model(8, 1);
  model->to(device);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));

  auto loader = torch::data::make_data_loader(
      Points().map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(64).workers(2));
  for (auto &batch : *loader) {
    auto data = batch.data.to(device, /*non_blocking=*/true);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: the batch is copied with non_blocking=true but is never pinned, so the copy from pageable memory stays synchronous; pin the batch (pin_memory() in the dataset's get(), run by the loader's workers) [torch-data-no-pin-memory]
    // CHECK-MESSAGES: :[[@LINE-6]]:17: note: the batch comes from this data loader
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: its batches feed this training loop
    auto target = batch.target.to(device, /*non_blocking=*/true);
    // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: the batch is copied with non_blocking=true but is never pinned
    optimizer.zero_grad();
    torch::mse_loss(model->forward(data), target).backward();
    optimizer.step();
  }

  // Pinned in the dataset: silent.
  auto pinned = torch::data::make_data_loader(
      PinnedPoints().map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(64).workers(2));
  for (auto &batch : *pinned) {
    optimizer.zero_grad();
    torch::mse_loss(model->forward(batch.data.to(device, true)),
                    batch.target.to(device, true))
        .backward();
    optimizer.step();
  }
}
