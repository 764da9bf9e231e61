// RUN: %check_trainlint %s torch-data-unbatched %t

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

// A folder of images, one example per get(), as custom datasets are written.
struct ImageFolder : torch::data::datasets::Dataset<ImageFolder> {
  explicit ImageFolder(const std::string &root);
  torch::data::Example<> get(size_t index) override;
  torch::optional<size_t> size() const override;
};

//===--- Positives ------------------------------------------------------===//

// The loader has no Stack: each batch is a std::vector<Example<>>, and the
// loop runs the model on each example and sums the losses.
void perExample(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    torch::Tensor loss = torch::zeros({1});
    for (auto &example : batch) {
      auto output = model->forward(example.data.unsqueeze(0));
      // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: the model runs once per example of each batch, since the dataset has no collation and the loader yields a 'std::vector' of examples; add '.map(torch::data::transforms::Stack<>())' to the dataset and run the model once per batch [torch-data-unbatched]
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE-8]]:47: note: stack the examples into one batch here; the loop then gets an 'Example<>' whose 'data' holds the whole batch
      // CHECK-MESSAGES: :[[@LINE-8]]:3: note: training loop starts here
      loss += torch::mse_loss(output, example.target);
    }
    loss.backward();
    optimizer.step();
  }
}

// Indexed by a counter, through a module holder's call operator and a
// local; the dataset is a variable moved into the loader.
void perIndex(Net &model, torch::optim::Adam &optimizer) {
  ImageFolder dataset("images");
  auto loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      std::move(dataset), torch::data::DataLoaderOptions(16).workers(2));
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : *loader) {
      optimizer.zero_grad();
      for (size_t i = 0; i < batch.size(); ++i) {
        auto image = batch[i].data;
        model(image).sum().backward();
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: the model runs once per example of each batch
        // CHECK-MESSAGES: :[[@LINE-4]]:7: note: the batch's examples are walked here
        // CHECK-MESSAGES: :[[@LINE-9]]:7: note: stack the examples into one batch here
        // CHECK-MESSAGES: :[[@LINE-8]]:5: note: training loop starts here
      }
      optimizer.step();
    }
  }
}

// The loader is handed to the training function: the batch type says that
// the dataset has no collation, and the note goes to the dataset of the
// make_data_loader call in the caller, which passes the loader.
template <typename Loader>
void trainOnLoader(Net &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (auto &batch : loader) {
    optimizer.zero_grad();
    for (const auto &example : batch)
      model->forward(example.data).sum().backward();
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the model runs once per example of each batch
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the batch's examples are walked here
      // CHECK-MESSAGES: :[[@LINE+6]]:47: note: stack the examples into one batch here
      // CHECK-MESSAGES: :[[@LINE-7]]:3: note: training loop starts here
    optimizer.step();
  }
}
void runTrainOnLoader(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 8);
  trainOnLoader(model, optimizer, *loader);
}

//===--- Negatives ------------------------------------------------------===//

// Stacked: the batch is one Example<> and the model runs once per batch.
void stacked(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder("images").map(torch::data::transforms::Stack<>()), 32);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// Unstacked batches collated by hand before one call of the model: the
// examples are walked, but the model runs once per batch.
void stackedByHand(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  for (auto &batch : *loader) {
    std::vector<torch::Tensor> images;
    for (auto &example : batch)
      images.push_back(example.data);
    optimizer.zero_grad();
    model->forward(torch::stack(images)).sum().backward();
    optimizer.step();
  }
}

// Only the first example of each batch is used: no walk over the batch.
void firstOnly(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch[0].data).sum().backward();
    optimizer.step();
  }
}

// A look at each example every 100 steps: rare.
void rareInspection(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(ImageFolder("images"), 32);
  int step = 0;
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    std::vector<torch::Tensor> images;
    for (auto &example : batch)
      images.push_back(example.data);
    model->forward(torch::stack(images)).sum().backward();
    optimizer.step();
    if (step++ % 100 == 0)
      for (auto &example : batch)
        model->forward(example.data);
  }
}

// A loop over a vector of examples that no loader yields (a validation set
// kept in memory) is not a loader's batch.
void handMadeExamples(Net &model, torch::optim::SGD &optimizer,
                      const std::vector<torch::data::Example<>> &examples) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    for (const auto &example : examples)
      model->forward(example.data).sum().backward();
    optimizer.step();
  }
}
