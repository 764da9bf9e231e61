// RUN: %check_trainlint %s torch-data-no-pin-memory %t

#include <torch/torch.h>

namespace data = torch::data;

struct Images : data::datasets::Dataset<Images> {
  data::Example<> get(size_t index) override;
  c10::optional<size_t> size() const override;
};
// Returns its examples in pinned memory.
struct PinnedImages : data::datasets::Dataset<PinnedImages> {
  data::Example<> get(size_t index) override {
    return {images[index].pin_memory(), labels[index]};
  }
  c10::optional<size_t> size() const override;
  std::vector<torch::Tensor> images, labels;
};

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

using Loader = data::StatelessDataLoader<
    data::datasets::MapDataset<Images, data::transforms::Stack<>>,
    data::samplers::RandomSampler>;

//===--- Positives ------------------------------------------------------===//

void pageable(Net &model, torch::optim::SGD &optimizer) {
  torch::Device device(torch::kCUDA);
  auto loader = data::make_data_loader(
      Images().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(4));
  for (auto &batch : *loader) {
    auto images = batch.data.to(device, /*non_blocking=*/true);
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: the batch is copied with non_blocking=true but is never pinned, so the copy from pageable memory stays synchronous; pin the batch (pin_memory() in the dataset's get(), run by the loader's workers) [torch-data-no-pin-memory]
    // CHECK-MESSAGES: :[[@LINE-6]]:17: note: the batch comes from this data loader
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: its batches feed this training loop
    auto labels = batch.target.to(device, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: the batch is copied with non_blocking=true but is never pinned
    // CHECK-MESSAGES: :[[@LINE-10]]:17: note: the batch comes from this data loader
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: its batches feed this training loop
    optimizer.zero_grad();
    torch::mse_loss(model->forward(images), labels).backward();
    optimizer.step();
  }
}

//===--- Negatives ------------------------------------------------------===//

// Pinned before the copy (on the training thread: torch-data-no-workers and
// the profile say whether that costs).
void pinnedInLoop(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      Images().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(4));
  for (auto &batch : *loader) {
    auto images = batch.data.pin_memory().to(torch::kCUDA, true);
    optimizer.zero_grad();
    model->forward(images).sum().backward();
    optimizer.step();
  }
}

// The dataset pins in its get().
void pinnedDataset(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      PinnedImages().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(4));
  for (auto &batch : *loader) {
    auto images = batch.data.to(torch::kCUDA, true);
    optimizer.zero_grad();
    model->forward(images).sum().backward();
    optimizer.step();
  }
}

// A blocking copy: torch-sync-host-to-device's finding, not this one.
void blocking(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      Images().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(4));
  for (auto &batch : *loader) {
    auto images = batch.data.to(torch::kCUDA);
    optimizer.zero_grad();
    model->forward(images).sum().backward();
    optimizer.step();
  }
}

// Evaluation: no training loop waits.
void evaluate(Net &model) {
  auto loader = data::make_data_loader(
      Images().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(4));
  for (auto &batch : *loader)
    model->forward(batch.data.to(torch::kCUDA, true));
}
