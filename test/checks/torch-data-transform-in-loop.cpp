// RUN: %check_trainlint %s torch-data-transform-in-loop %t

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

struct ImageFolder : torch::data::datasets::Dataset<ImageFolder> {
  explicit ImageFolder(const std::string &root);
  torch::data::Example<> get(size_t index) override;
  torch::optional<size_t> size() const override;
};

//===--- Positives: per batch -------------------------------------------===//

// MNIST's constants applied to each stacked batch on the training thread,
// after a conversion of the element type.
void normalizeEachBatch(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  for (auto &batch : *loader) {
    auto x = (batch.data.to(torch::kFloat) - 0.1307) / 0.3081;
    // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: the batch is normalized with constants on the training thread on every iteration of the training loop; map the normalization onto the dataset ('.map(torch::data::transforms::Normalize<>(mean, stddev))' before Stack, or a TensorLambda), so that the loader's workers do it [torch-data-transform-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// Mean and standard deviation tensors built once, before the loop, and
// applied to each batch through a local.
void meanStdTensors(Net &model, torch::optim::Adam &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  const torch::Tensor mean = torch::full({3, 1, 1}, 0.45);
  const torch::Tensor stddev = torch::full({3, 1, 1}, 0.225);
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : *loader) {
      auto images = batch.data;
      images = images.sub(mean).div(stddev);
      // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the batch is normalized with constants on the training thread on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: training loop starts here
      optimizer.zero_grad();
      model->forward(images).sum().backward();
      optimizer.step();
    }
  }
}

// A Normalize transform built with its constants on every step.
void normalizeObjectEachStep(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  for (auto &batch : *loader) {
    torch::data::transforms::Normalize<> normalize({0.5, 0.5, 0.5}, {0.5, 0.5, 0.5});
    // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: 'Normalize' is built with its constants on every iteration of the training loop and applied to one batch at a time on the training thread; map it onto the dataset once, before the loader: '.map(torch::data::transforms::Normalize<>(mean, stddev))' [torch-data-transform-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(normalize(batch.data)).sum().backward();
    optimizer.step();
  }
}

//===--- Positives: per example -----------------------------------------===//

// Unstacked batches: each example converted and resized on its own, then
// stacked by hand.
void convertEachExample(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  for (auto &batch : *loader) {
    std::vector<torch::Tensor> images;
    for (auto &example : batch) {
      auto image = example.data.to(torch::kFloat).div(255);
      // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: each example of the batch is converted on its own on the training thread, on every iteration of the training loop; convert it in the dataset's get() or a transform mapped onto the dataset, so that the loader's workers do it [torch-data-transform-in-loop]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
      images.push_back(torch::nn::functional::interpolate(
      // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: each example of the batch is converted on its own on the training thread
      // CHECK-MESSAGES: :[[@LINE-7]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE-10]]:3: note: training loop starts here
          image.unsqueeze(0),
          torch::nn::functional::InterpolateFuncOptions().size({224, 224})));
    }
    optimizer.zero_grad();
    model->forward(torch::cat(images)).sum().backward();
    optimizer.step();
  }
}

// Indexed by a counter: channels last to channels first, per example.
void permuteEachExample(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  for (auto &batch : *loader) {
    std::vector<torch::Tensor> images;
    for (size_t i = 0; i < batch.size(); ++i)
      images.push_back(batch[i].data.permute({2, 0, 1}));
      // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: each example of the batch is converted on its own on the training thread
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(torch::stack(images)).sum().backward();
    optimizer.step();
  }
}

//===--- Negatives ------------------------------------------------------===//

// Normalized on the device: a batch that has left the CPU is cheap to
// normalize there, and the loader's workers would not help.
void normalizeOnDevice(Net &model, torch::optim::SGD &optimizer,
                       torch::Device device) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  for (auto &batch : *loader) {
    auto x = batch.data.to(device);
    x = (x - 0.5) / 0.5;
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// The operand changes per step: a running statistic, not a constant.
void runningStatistics(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  for (auto &batch : *loader) {
    auto mean = batch.data.mean();
    auto x = batch.data - mean;
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// Mean tensor built in the loop: torch-loop-invariant-tensor reports the
// factory; the normalization in the same statement is not reported twice.
void factoryInPlace(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  for (auto &batch : *loader) {
    auto x = batch.data.sub(torch::full({3, 1, 1}, 0.45));
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// The normalization is mapped onto the dataset: the loader does it.
void mappedNormalize(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images")
          .map(torch::data::transforms::Normalize<>(0.1307, 0.3081))
          .map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions(64).workers(2));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// Outputs of the model, not the batch: the loss's arithmetic is training.
void lossArithmetic(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 64);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    auto loss = model->forward(batch.data).sum() / 64.0;
    loss.backward();
    optimizer.step();
  }
}

// Examples moved to the device one by one: a copy, not preprocessing.
void moveEachExample(Net &model, torch::optim::SGD &optimizer,
                     torch::Device device) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  for (auto &batch : *loader) {
    std::vector<torch::Tensor> images;
    for (auto &example : batch)
      images.push_back(example.data.to(device));
    optimizer.zero_grad();
    model->forward(torch::stack(images)).sum().backward();
    optimizer.step();
  }
}
