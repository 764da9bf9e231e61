// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-data-no-workers %t --fix-notes

// The genuine headers: make_data_loader's overloads, DataLoaderOptions built
// with libtorch's TORCH_ARG setters, MNIST and a dataset of the user's, and
// a training function templated on its loader, as libtorch's examples write
// it.

#include <torch/torch.h>
#include <fstream>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(784, 10))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x.view({-1, 784})); }
  torch::nn::Linear fc;
};
TORCH_MODULE(Net);

// Reads one example per file, on whichever thread calls get().
struct Folder : torch::data::datasets::Dataset<Folder> {
  torch::data::Example<> get(size_t index) override {
    std::ifstream in(paths[index], std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    auto image = torch::from_blob(bytes.data(), {28, 28}, torch::kUInt8)
                     .to(torch::kFloat32);
    return {image, torch::tensor(0)};
  }
  torch::optional<size_t> size() const override { return paths.size(); }
  std::vector<std::string> paths;
};

template <typename Loader>
void train(Net &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (auto &batch : loader) {
    optimizer.zero_grad();
    auto loss = torch::nll_loss(torch::log_softmax(model->forward(batch.data), 1),
                                batch.target);
    loss.backward();
    optimizer.step();
  }
}

void run(size_t workers) {
  Net model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
  auto folder = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      Folder().map(torch::data::transforms::Stack<>()), 64);
  // CHECK-MESSAGES: :[[@LINE-2]]:17: warning: data loader has no workers, so the training thread loads and collates every batch itself, and the step waits for it; set workers in its options [torch-data-no-workers]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: the loader is handed to 'train' here
  // CHECK-MESSAGES: :[[@LINE-16]]:3: note: its batches feed this training loop
  // CHECK-MESSAGES: :[[@LINE-4]]:57: note: with 2 workers, each calls the dataset's get() on a thread of its own: get() must be thread-safe
  auto configured = torch::data::make_data_loader(
      Folder().map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(64).workers(workers));
  for (int epoch = 0; epoch < 3; ++epoch) {
    train(model, optimizer, *folder);
    // A worker count from the command line: silent.
    train(model, optimizer, *configured);
  }
  // MNIST reads its files in its constructor: in memory, level 2 only.
  auto mnist = torch::data::make_data_loader(
      torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()),
      32);
  train(model, optimizer, *mnist);
}
// CHECK-FIXES: {{^}}      Folder().map(torch::data::transforms::Stack<>()), torch::data::DataLoaderOptions(64).workers(2));{{$}}
