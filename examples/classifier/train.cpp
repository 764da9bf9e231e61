// A two-class classifier on a synthetic data set, trained through a
// torch::data DataLoader and evaluated once per epoch. Like most first
// versions it reads values back from the device inside its loops.
//
//   train [EPOCHS]     (default 2)

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>

// Points in 4 dimensions; the label says whether their sum is positive.
class SyntheticPoints : public torch::data::datasets::Dataset<SyntheticPoints> {
public:
  explicit SyntheticPoints(int64_t count) {
    points_ = torch::randn({count, 4});
    labels_ = (points_.sum(1) > 0).to(torch::kLong);
  }
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
    return torch::log_softmax(out->forward(torch::relu(hidden->forward(x))), 1);
  }
  torch::nn::Linear hidden, out;
};
TORCH_MODULE(Classifier);

template <typename Loader>
void trainEpoch(Classifier &model, Loader &loader, torch::optim::Optimizer &optimizer,
                torch::Device device) {
  model->train();
  size_t batchIndex = 0;
  for (auto &batch : loader) {
    auto data = batch.data.to(device);
    auto target = batch.target.to(device);
    optimizer.zero_grad();
    auto output = model->forward(data);
    auto loss = torch::nll_loss(output, target);
    loss.backward();
    optimizer.step();
    // The batch's accuracy, one sample at a time.
    auto pred = output.argmax(1);
    int64_t correct = 0;
    for (int64_t i = 0; i < pred.size(0); ++i)
      correct += pred[i].template item<int64_t>() == target[i].template item<int64_t>();
    if (batchIndex++ % 10 == 0)
      std::printf("  batch %zu loss %.4f accuracy %.2f\n", batchIndex,
                  loss.template item<float>(), static_cast<double>(correct) / pred.size(0));
  }
}

template <typename Loader>
void evaluate(Classifier &model, Loader &loader, torch::Device device, size_t size) {
  torch::NoGradGuard noGrad;
  model->eval();
  int64_t correct = 0;
  for (const auto &batch : loader) {
    auto output = model->forward(batch.data.to(device));
    auto pred = output.argmax(1);
    correct += pred.eq(batch.target.to(device)).sum().template item<int64_t>();
  }
  std::printf("accuracy %.3f\n", static_cast<double>(correct) / size);
}

int main(int argc, char **argv) {
  torch::manual_seed(0);
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 2;
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);

  auto trainSet = SyntheticPoints(512).map(torch::data::transforms::Stack<>());
  auto testSet = SyntheticPoints(128).map(torch::data::transforms::Stack<>());
  auto trainLoader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      std::move(trainSet), torch::data::DataLoaderOptions().batch_size(32));
  auto testLoader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      std::move(testSet), torch::data::DataLoaderOptions().batch_size(64));

  Classifier model;
  model->to(device);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));

  for (int epoch = 1; epoch <= epochs; ++epoch) {
    std::printf("epoch %d\n", epoch);
    trainEpoch(model, *trainLoader, optimizer, device);
    evaluate(model, *testLoader, device, 128);
  }
  return 0;
}
