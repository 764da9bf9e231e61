// RUN: %check_trainlint %s torch-data-batch-size-one %t

#include <torch/torch.h>

namespace data = torch::data;

struct Images : data::datasets::Dataset<Images> {
  data::Example<> get(size_t index) override;
  c10::optional<size_t> size() const override;
};
// A dataset whose get_batch() builds each batch itself.
struct Shards : data::datasets::BatchDataset<Shards, data::Example<>> {
  data::Example<> get_batch(c10::ArrayRef<size_t> request) override;
  c10::optional<size_t> size() const override;
};

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- Positives ------------------------------------------------------===//

// No options: libtorch's default batch size is 1.
void defaultBatchSize(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(Images());
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data loader yields batches of one example (libtorch's default batch size), so each training step runs the model on a single example and the device idles between small kernels; set a batch size in its options [torch-data-batch-size-one]
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: its batches feed this training loop
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch[0].data).sum().backward();
    optimizer.step();
  }
}

// Written out, as a bare size or in the options.
void explicitOne(Net &model, torch::optim::Adam &optimizer) {
  auto bare = data::make_data_loader(Images().map(data::transforms::Stack<>()), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: data loader yields batches of one example, so each training step
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: its batches feed this training loop
  auto options = data::make_data_loader(
      Images().map(data::transforms::Stack<>()),
      data::DataLoaderOptions().batch_size(1).workers(4));
  // CHECK-MESSAGES: :[[@LINE-3]]:18: warning: data loader yields batches of one example, so each training step
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: its batches feed this training loop
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : *bare) {
      optimizer.zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
    for (auto &batch : *options) {
      optimizer.zero_grad();
      model->forward(batch.data).sum().backward();
      optimizer.step();
    }
  }
}

// Built here, iterated in the function it is handed to.
using ImageLoader = data::StatelessDataLoader<Images, data::samplers::RandomSampler>;
void trainEpoch(ImageLoader &loader, Net &model, torch::optim::SGD &optimizer) {
  for (auto &batch : loader) {
    optimizer.zero_grad();
    model->forward(batch[0].data).sum().backward();
    optimizer.step();
  }
}
void fit(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(Images(), data::DataLoaderOptions(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data loader yields batches of one example, so each training step
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: the loader is handed to 'trainEpoch' here
  // CHECK-MESSAGES: :[[@LINE-10]]:3: note: its batches feed this training loop
  trainEpoch(*loader, model, optimizer);
}

//===--- Negatives ------------------------------------------------------===//

// Batches of 64.
void batched(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      Images().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(2));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// A batch size from the command line: only the run knows it.
void fromFlag(Net &model, torch::optim::SGD &optimizer, size_t batchSize) {
  auto loader = data::make_data_loader(Images(), batchSize);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch[0].data).sum().backward();
    optimizer.step();
  }
}

// Inference one example at a time is often what the program means.
void predict(Net &model) {
  auto loader = data::make_data_loader(Images());
  for (auto &batch : *loader)
    model->forward(batch[0].data);
}

// get_batch() builds whole batches: the loader's size counts requests.
void shards(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(Shards());
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
