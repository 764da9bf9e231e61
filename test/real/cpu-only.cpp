// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-item %t.default --checks='-*,torch-*,cuda-*'
// RUN: %check_trainlint_real %s torch-sync-item %t.level2 --checks='-*,torch-*,cuda-*' --config='{CheckOptions: {trainlint.Level: 2}}'

// A whole training program, on the genuine headers, that never leaves the CPU.
// It is written the way programs that pick a device are: the device lives in
// a trainer and is passed to the functions that train and evaluate, every
// batch goes through `.to(device)`, and the loops call item(), cpu(),
// nonzero() and print tensors on every step. Every device it names is the
// CPU, so nothing waits for a device and no check may report anything, at any
// level: the test expects no message, and any warning fails it.

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <vector>

namespace {

// Points in 4 dimensions, labelled by the sign of their sum. No device here.
class SignDataset : public torch::data::datasets::Dataset<SignDataset> {
public:
  explicit SignDataset(int64_t count)
      : points_(torch::randn({count, 4})),
        labels_((points_.sum(1) > 0).to(torch::kLong)) {}
  torch::data::Example<> get(size_t index) override {
    return {points_[index], labels_[index]};
  }
  torch::optional<size_t> size() const override { return points_.size(0); }

private:
  torch::Tensor points_, labels_;
};

struct ClassifierImpl : torch::nn::Module {
  ClassifierImpl()
      : hidden(register_module("hidden", torch::nn::Linear(4, 16))),
        out(register_module("out", torch::nn::Linear(16, 2))) {}
  torch::Tensor forward(torch::Tensor x) {
    return out->forward(torch::relu(hidden->forward(x)));
  }
  torch::nn::Linear hidden, out;
};
TORCH_MODULE(Classifier);

// The device is chosen once, as a constant, and kept by the trainer.
struct Trainer {
  Trainer(Classifier model, const torch::Device &device)
      : model(std::move(model)), device(device),
        optimizer(this->model->parameters(), torch::optim::SGDOptions(0.1)) {
    this->model->to(device);
  }

  Classifier model;
  torch::Device device;
  torch::optim::SGD optimizer;
};

// The per-batch part of a step, in a function of its own.
double trainBatch(Trainer &trainer, const torch::Tensor &data,
                  const torch::Tensor &target) {
  trainer.optimizer.zero_grad();
  auto output = trainer.model->forward(data.to(trainer.device));
  auto loss =
      torch::nn::functional::cross_entropy(output, target.to(trainer.device));
  loss.backward();
  trainer.optimizer.step();
  return loss.item<double>();
}

template <typename Loader>
void trainEpoch(Trainer &trainer, Loader &loader, const torch::Device &device,
                bool verbose) {
  trainer.model->train();
  // Created on the host and moved to the CPU: no copy at all.
  auto weight = torch::ones({2}).to(device);
  auto options = torch::TensorOptions().dtype(torch::kFloat).device(device);
  double lossSum = 0;
  int64_t correct = 0;
  int64_t misclassified = 0;
  int64_t seen = 0;
  int64_t step = 0;
  for (auto &batch : loader) {
    auto data = batch.data.to(device);
    auto target = batch.target.to(device, torch::kLong);
    trainer.optimizer.zero_grad();
    auto output = trainer.model->forward(data);
    auto loss = torch::nn::functional::cross_entropy(
        output, target,
        torch::nn::functional::CrossEntropyFuncOptions().weight(weight));
    loss.backward();
    trainer.optimizer.step();

    lossSum += loss.template item<double>();
    auto predicted = output.argmax(1).cpu();
    correct += predicted.eq(target).sum().template item<int64_t>();
    misclassified += predicted.ne(target).nonzero().size(0);
    seen += target.size(0);
    if (verbose) {
      auto baseline = torch::zeros_like(output).to(options);
      auto perSample = output.new_zeros({output.size(0)});
      std::cout << "step " << step << " loss " << loss << " largest logit "
                << (output - baseline).abs().max() << " per-sample "
                << perSample.sum() << "\n";
    }
    ++step;
  }
  std::printf("  train loss %.4f accuracy %.3f misclassified %lld\n",
              lossSum / step, static_cast<double>(correct) / seen,
              static_cast<long long>(misclassified));
}

template <typename Loader>
double evaluate(Trainer &trainer, Loader &loader, torch::Device device) {
  torch::NoGradGuard noGrad;
  trainer.model->eval();
  int64_t correct = 0;
  int64_t total = 0;
  for (const auto &batch : loader) {
    auto output = trainer.model->forward(batch.data.to(device));
    auto target = batch.target.to(device);
    correct += output.argmax(1).eq(target).sum().template item<int64_t>();
    total += batch.target.size(0);
  }
  return static_cast<double>(correct) / total;
}

} // namespace

int main(int argc, char **argv) {
  torch::manual_seed(0);
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 3;
  const bool verbose = std::getenv("TRAIN_VERBOSE") != nullptr;
  torch::Device device(torch::kCPU);

  Trainer trainer(Classifier(), device);
  auto trainLoader = torch::data::make_data_loader(
      SignDataset(512).map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(32));
  auto testLoader = torch::data::make_data_loader(
      SignDataset(128).map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(64));

  // A second way to write the same device, and a step of its own.
  const torch::Device host("cpu");
  auto first = *trainLoader->begin();
  std::printf("first batch loss %.4f\n",
              trainBatch(trainer, first.data.to(host), first.target));

  for (int epoch = 0; epoch < epochs; ++epoch) {
    trainEpoch(trainer, *trainLoader, device, verbose);
    for (int repeat = 0; repeat < 2; ++repeat) {
      auto batch = *trainLoader->begin();
      std::printf("  extra step loss %.4f\n",
                  trainBatch(trainer, batch.data, batch.target));
    }
    std::printf("epoch %d accuracy %.3f\n", epoch,
                evaluate(trainer, *testLoader, torch::Device(torch::kCPU)));
  }
  return 0;
}
