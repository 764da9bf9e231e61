// What the multi-file example prints, and the running numbers behind it.

#ifndef TRAINLINT_EXAMPLES_MULTIFILE_LOG_H
#define TRAINLINT_EXAMPLES_MULTIFILE_LOG_H

#include <torch/torch.h>

/// What one evaluation pass measured.
struct EvalResult {
  double accuracy = 0;
  torch::Tensor per_class; // [kClasses], on the model's device
};

class TrainingLog {
public:
  /// Counts the correct predictions of a training batch; `labels` are the
  /// batch's own, on the host.
  void record(const torch::Tensor &logits, const torch::Tensor &labels);
  /// Adds a step's loss to the running mean.
  void add_loss(double loss);
  /// One line: the running means, and how large the output layer has grown.
  void print_step(int step, const torch::Tensor &output_weight) const;
  /// One line per epoch with the evaluation, then starts the next epoch's
  /// running means.
  void end_epoch(int epoch, const EvalResult &eval);

private:
  double loss_sum_ = 0;
  int64_t losses_ = 0;
  int64_t correct_ = 0;
  int64_t seen_ = 0;
};

#endif // TRAINLINT_EXAMPLES_MULTIFILE_LOG_H
