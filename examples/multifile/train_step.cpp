// One training step and one evaluation pass of the multi-file example. Read
// alone, this file names no GPU and the training step runs in no loop: the
// loop is in main.cpp, and so is the choice of device.

#include "train_step.h"

double train_step(Mlp &model, torch::optim::Optimizer &optimizer,
                  const Batch &batch, const torch::Device &device,
                  TrainingLog &log) {
  model->train();
  const torch::Tensor inputs = batch.inputs.to(device);
  const torch::Tensor labels = batch.labels.to(device);

  optimizer.zero_grad();
  const torch::Tensor logits = model->forward(inputs);
  const torch::Tensor loss =
      torch::nn::functional::cross_entropy(logits, labels);
  loss.backward();
  optimizer.step();

  log.record(logits, batch.labels);
  return loss.item<double>();
}

EvalResult evaluate(Mlp &model, const std::vector<Batch> &batches,
                    const torch::Device &device) {
  torch::NoGradGuard no_grad;
  model->eval();
  // Counted on the device, read once at the end.
  const auto options = torch::TensorOptions().device(device);
  torch::Tensor hits = torch::zeros({kClasses}, options);
  torch::Tensor totals = torch::zeros({kClasses}, options);
  for (const Batch &batch : batches) {
    const torch::Tensor inputs = batch.inputs.to(device);
    const torch::Tensor labels = batch.labels.to(device);
    const torch::Tensor predicted = model->forward(inputs).argmax(1);
    totals.index_add_(0, labels, torch::ones_like(labels, torch::kFloat));
    hits.index_add_(0, labels, predicted.eq(labels).to(torch::kFloat));
  }
  EvalResult result;
  result.accuracy = hits.sum().item<double>() / totals.sum().item<double>();
  result.per_class = hits / totals;
  return result;
}
