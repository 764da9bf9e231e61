// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-loop-rebuilt-state %t --checks='-*,torch-loop-*,cuda-*'
// Every check of the optimizer family, the manual ones included.
// RUN: %check_trainlint_real %s torch-optim-missing-zero-grad %t.optim --checks='-*,torch-optim-*' --config='{CheckOptions: {trainlint.Level: manual}}'
// Every data-loading check, at level 2: its loader has workers and collates
// with Stack.
// RUN: %check_trainlint_real %s torch-data-no-workers %t.data --checks='-*,torch-data-*' --config='{CheckOptions: {trainlint.Level: 2}}'
// The program compiles against the genuine headers.
// RUN: %clangxx %torch_flags -std=c++17 -fsyntax-only %s

// A clean, idiomatic libtorch training program. Every inefficient-loop check
// (torch-loop-*), every CUDA check, every optimizer check (torch-optim-*, at
// every level) and every data-loading check (torch-data-*) must stay silent
// on it: the test has no CHECK-MESSAGES, so any finding fails it. Each idiom
// below is one that a check of the family must recognize as the cure, not the
// disease.

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <cstdio>
#include <tuple>
#include <vector>

namespace {

// Points labelled by the sign of their coordinate sum. get() runs on the
// loader's worker threads, on CPU tensors: a loop through an accessor is the
// cheap way to look at one sample's elements there.
class SignDataset : public torch::data::datasets::Dataset<SignDataset> {
public:
  explicit SignDataset(int64_t count) : points_(torch::randn({count, 8})) {}
  torch::data::Example<> get(size_t index) override {
    torch::Tensor point = points_[static_cast<int64_t>(index)];
    auto values = point.accessor<float, 1>();
    float sum = 0;
    for (int64_t i = 0; i < values.size(0); ++i)
      sum += values[i];
    return {point, torch::tensor(static_cast<int64_t>(sum > 0), torch::kLong)};
  }
  torch::optional<size_t> size() const override { return points_.size(0); }

private:
  torch::Tensor points_;
};

// The model registers its layers once, in its constructor. It reads a
// point's coordinates as a sequence of eight one-feature steps, with an
// LSTM, and classifies its last output.
struct ClassifierImpl : torch::nn::Module {
  ClassifierImpl()
      : lstm(register_module(
            "lstm",
            torch::nn::LSTM(torch::nn::LSTMOptions(1, 32).batch_first(true)))),
        out(register_module("out", torch::nn::Linear(32, 2))) {}
  torch::Tensor forward(torch::Tensor x) {
    torch::Tensor steps = std::get<0>(lstm->forward(x.unsqueeze(2)));
    return out(steps.select(1, -1));
  }
  torch::nn::LSTM lstm;
  torch::nn::Linear out;
};
TORCH_MODULE(Classifier);

constexpr int kEpochs = 5;
constexpr int kLogEvery = 50;
constexpr int64_t kBatchSize = 64;
// The LSTM's gradients are clipped to this norm before each step.
constexpr double kMaxGradNorm = 1.0;

} // namespace

int main() {
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);

  // Mixed precision where the device has it: the forward passes run in
  // half precision under autocast on CUDA.
  at::autocast::set_enabled(device.is_cuda());

  // The model is built and moved once; the optimizer (Adam: adaptive steps,
  // with momentum) and the learning-rate scheduler are built once, before
  // the epochs.
  Classifier model;
  model->to(device);
  torch::optim::Adam optimizer(model->parameters(),
                               torch::optim::AdamOptions(1e-3));
  torch::optim::StepLR scheduler(optimizer, /*step_size=*/2, /*gamma=*/0.5);

  // Batches are collated by Stack and loaded by two worker threads.
  auto loader = torch::data::make_data_loader(
      SignDataset(4096).map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(kBatchSize).workers(2));

  // The running loss lives on the device, in a buffer allocated before the
  // loop: accumulating into it never waits for the device.
  auto running = torch::zeros({}, torch::TensorOptions().device(device));
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    model->train();
    int64_t step = 0;
    for (auto &batch : *loader) {
      auto data = batch.data.to(device);
      auto target = batch.target.to(device);
      optimizer.zero_grad();
      // One forward pass over the whole batch, not one per sample.
      auto loss =
          torch::nn::functional::cross_entropy(model->forward(data), target);
      loss.backward();
      // Recurrent gradients can explode: clip them before the step.
      torch::nn::utils::clip_grad_norm_(model->parameters(), kMaxGradNorm);
      optimizer.step();
      // Read on the host every kLogEvery steps only.
      running += loss.detach();
      if (++step % kLogEvery == 0) {
        std::printf("epoch %d step %ld loss %.4f\n", epoch,
                    static_cast<long>(step),
                    running.item<float>() / kLogEvery);
        running.zero_();
      }
    }
    // The schedule advances once per epoch; the optimizer keeps its state.
    scheduler.step();
  }

  // Evaluation without autograd, in evaluation mode. Accuracy is counted on the device with one
  // vectorized comparison per batch; the predictions are collected in a
  // vector and concatenated once, after the loop.
  torch::NoGradGuard noGrad;
  model->eval();
  auto correct =
      torch::zeros({}, torch::TensorOptions().dtype(torch::kLong).device(device));
  std::vector<torch::Tensor> predictions;
  int64_t seen = 0;
  for (auto &batch : *loader) {
    auto pred = model->forward(batch.data.to(device)).argmax(1);
    correct += pred.eq(batch.target.to(device)).sum();
    predictions.push_back(pred);
    seen += batch.target.size(0);
  }
  torch::Tensor all = torch::cat(predictions);
  std::printf("accuracy %.3f over %ld predictions\n",
              correct.item<double>() / static_cast<double>(seen),
              static_cast<long>(all.size(0)));
  return 0;
}
