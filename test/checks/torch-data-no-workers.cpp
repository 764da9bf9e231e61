// RUN: %check_trainlint %s torch-data-no-workers %t --fix-notes
// RUN: %check_trainlint %s torch-data-no-workers %t --fix-notes --check-prefix=CHECK-LEVEL2 --config="{CheckOptions: {trainlint.Level: 2}}"

#include <torch/torch.h>

namespace data = torch::data;

// A dataset that decodes a file per example: the cost that workers hide.
struct ImageFolder : data::datasets::Dataset<ImageFolder> {
  data::Example<> get(size_t index) override {
    torch::Tensor image;
    torch::load(image, paths[index]);
    return {image, labels[index]};
  }
  c10::optional<size_t> size() const override { return paths.size(); }
  std::vector<std::string> paths;
  std::vector<torch::Tensor> labels;
};

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- Positives ------------------------------------------------------===//

// No options at all: libtorch's defaults, no workers.
void noOptions(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(ImageFolder());
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: data loader has no workers, so the training thread loads and collates every batch itself, and the step waits for it; set workers in its options [torch-data-no-workers]
  // CHECK-LEVEL2: :[[@LINE-2]]:17: warning: data loader has no workers, so the train
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:53: note: with 2 workers, each calls the dataset's get() on a thread of its own: get() must be thread-safe
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch[0].data).sum().backward();
    optimizer.step();
  }
}
// CHECK-FIXES: {{^}}  auto loader = data::make_data_loader(ImageFolder(), torch::data::DataLoaderOptions().workers(2));{{$}}

// A bare batch size converts to options with no workers.
void bareBatchSize(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()), 64);
  // CHECK-MESSAGES: :[[@LINE-2]]:17: warning: data loader has no workers
  // CHECK-LEVEL2: :[[@LINE-3]]:17: warning: data loader has no workers
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:55: note: with 2 workers
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
// CHECK-FIXES: {{^}}      ImageFolder().map(data::transforms::Stack<>()), torch::data::DataLoaderOptions(64).workers(2));{{$}}

// Options that set everything but the workers.
void optionsWithoutWorkers(Net &model, torch::optim::Adam &optimizer) {
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()),
      data::DataLoaderOptions().batch_size(32).drop_last(true));
  // CHECK-MESSAGES: :[[@LINE-3]]:17: warning: data loader has no workers
  // CHECK-LEVEL2: :[[@LINE-4]]:17: warning: data loader has no workers
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: with 2 workers
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
// CHECK-FIXES: {{^}}      data::DataLoaderOptions().batch_size(32).drop_last(true).workers(2));{{$}}

// workers(0) written out is the default.
void zeroWorkers(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      ImageFolder().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(16).workers(0));
  // CHECK-MESSAGES: :[[@LINE-3]]:17: warning: data loader has no workers
  // CHECK-LEVEL2: :[[@LINE-4]]:17: warning: data loader has no workers
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: with 2 workers
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
// CHECK-FIXES: {{^}}      data::DataLoaderOptions(16).workers(2));{{$}}

// Built in one function, iterated in another: the loader type names the
// dataset, and the call hands it down.
using StackedImages =
    data::datasets::MapDataset<ImageFolder, data::transforms::Stack<>>;
using ImageLoader =
    data::StatelessDataLoader<StackedImages, data::samplers::RandomSampler>;
void trainEpoch(ImageLoader &loader, Net &model, torch::optim::SGD &optimizer) {
  for (auto &batch : loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
void fit(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()), 128);
  // CHECK-MESSAGES: :[[@LINE-2]]:17: warning: data loader has no workers
  // CHECK-LEVEL2: :[[@LINE-3]]:17: warning: data loader has no workers
  // CHECK-MESSAGES: :[[@LINE+4]]:5: note: the loader is handed to 'trainEpoch' here
  // CHECK-MESSAGES: :[[@LINE-12]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-5]]:55: note: with 2 workers
  for (int epoch = 0; epoch < 10; ++epoch)
    trainEpoch(*loader, model, optimizer);
}
// CHECK-FIXES: {{^}}      ImageFolder().map(data::transforms::Stack<>()), torch::data::DataLoaderOptions(128).workers(2));{{$}}

// Options in a variable: the note says what to set but offers no rewrite.
void optionsVariable(Net &model, torch::optim::SGD &optimizer) {
  data::DataLoaderOptions options(32);
  options.drop_last(true);
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()), options);
  // CHECK-MESSAGES: :[[@LINE-2]]:17: warning: data loader has no workers
  // CHECK-LEVEL2: :[[@LINE-3]]:17: warning: data loader has no workers
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:55: note: with 2 workers
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// A loader of the user's own that reads each batch in next(), on the
// thread that calls it.
struct BatchReader {
  torch::Tensor next() {
    torch::Tensor batch;
    torch::load(batch, "batch.pt");
    return batch;
  }
};
void ownLoader(Net &model, torch::optim::SGD &optimizer, BatchReader &reader) {
  for (int step = 0; step < 1000; ++step) {
    optimizer.zero_grad();
    model->forward(reader.next()).sum().backward();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'BatchReader::next' loads a batch on the training thread each step, so the device waits for it; load batches ahead on worker threads, for example with torch::data::make_data_loader and workers in its options [torch-data-no-workers]
    // CHECK-LEVEL2: :[[@LINE-2]]:20: warning: 'BatchReader::next' loads a batch on the
    // CHECK-MESSAGES: :[[@LINE-10]]:5: note: it loads here
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    optimizer.step();
  }
}

// An in-memory dataset: collation alone is cheap, so level 2 only, and only
// where the device may be an accelerator (real/cpu-only.cpp: silent there).
void inMemory(Net &model, torch::optim::SGD &optimizer, torch::Tensor images,
              torch::Device device) {
  auto loader = data::make_data_loader(data::datasets::TensorDataset(images), 256);
  // CHECK-LEVEL2: :[[@LINE-1]]:17: warning: data loader has no workers, so the training thread collates every batch of its in-memory dataset itself; set workers in its options if collation shows in the step time [torch-data-no-workers]
  // CHECK-LEVEL2: :[[@LINE+2]]:3: note: its batches feed this training loop
  // CHECK-LEVEL2: :[[@LINE-3]]:79: note: with 2 workers
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch[0].data.to(device)).sum().backward();
    optimizer.step();
  }
}

//===--- Negatives ------------------------------------------------------===//

// Workers load ahead on their own threads.
void withWorkers(Net &model, torch::optim::SGD &optimizer) {
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(4));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// A worker count that only the run knows may well be positive.
void workersFromFlag(Net &model, torch::optim::SGD &optimizer, size_t workers) {
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()),
      data::DataLoaderOptions(64).workers(workers));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// Evaluation only: no training step waits for these batches.
float evaluate(Net &model) {
  auto loader = data::make_data_loader(
      ImageFolder().map(data::transforms::Stack<>()), 64);
  float total = 0;
  for (auto &batch : *loader)
    total += model->forward(batch.data).sum().item<float>();
  return total;
}

// A reader whose next() hands out what its constructor loaded.
struct Preloaded {
  torch::Tensor next() { return batches[cursor++ % batches.size()]; }
  std::vector<torch::Tensor> batches;
  size_t cursor = 0;
};
void preloadedReader(Net &model, torch::optim::SGD &optimizer, Preloaded &reader) {
  for (int step = 0; step < 1000; ++step) {
    optimizer.zero_grad();
    model->forward(reader.next()).sum().backward();
    optimizer.step();
  }
}

// A reader called once before training, not per step.
void readOnce(Net &model, torch::optim::SGD &optimizer, BatchReader &reader) {
  torch::Tensor batch = reader.next();
  for (int step = 0; step < 1000; ++step) {
    optimizer.zero_grad();
    model->forward(batch).sum().backward();
    optimizer.step();
  }
}

// One loader variable, given one of two loaders at run time: the loop may
// iterate the one without workers; the one with workers stays silent.
void chosenAtRunTime(Net &model, torch::optim::SGD &optimizer, size_t workers) {
  using Loader = data::StatelessDataLoader<
      data::datasets::MapDataset<ImageFolder, data::transforms::Stack<>>>;
  std::unique_ptr<Loader> loader;
  if (workers == 0)
    loader = data::make_data_loader(ImageFolder().map(data::transforms::Stack<>()),
                                    data::DataLoaderOptions(16));
  // CHECK-MESSAGES: :[[@LINE-2]]:14: warning: data loader has no workers
  // CHECK-LEVEL2: :[[@LINE-3]]:14: warning: data loader has no workers
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:37: note: with 2 workers
  else
    loader = data::make_data_loader(ImageFolder().map(data::transforms::Stack<>()),
                                    data::DataLoaderOptions(16).workers(workers));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
// CHECK-FIXES: {{^}}                                    data::DataLoaderOptions(16).workers(2));{{$}}
