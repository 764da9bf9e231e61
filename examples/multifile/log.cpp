// What the multi-file example prints. Each function reads tensors on the host;
// whether that makes every step wait for the device depends on where it is
// called from.

#include "log.h"

#include <cstdio>
#include <iostream>

void TrainingLog::record(const torch::Tensor &logits,
                         const torch::Tensor &labels) {
  const torch::Tensor predicted = logits.argmax(1).cpu();
  const auto got = predicted.accessor<int64_t, 1>();
  const auto want = labels.accessor<int64_t, 1>();
  for (int64_t i = 0; i < got.size(0); ++i)
    correct_ += got[i] == want[i];
  seen_ += got.size(0);
}

void TrainingLog::add_loss(double loss) {
  loss_sum_ += loss;
  ++losses_;
}

void TrainingLog::print_step(int step,
                             const torch::Tensor &output_weight) const {
  const double weight_norm = output_weight.norm().item<double>();
  std::printf("step %4d  loss %.4f  accuracy %.3f  |W_out| %.3f\n", step,
              loss_sum_ / losses_, static_cast<double>(correct_) / seen_,
              weight_norm);
}

void TrainingLog::end_epoch(int epoch, const EvalResult &eval) {
  std::printf("epoch %d  train loss %.4f  test accuracy %.3f\n", epoch,
              loss_sum_ / losses_, eval.accuracy);
  std::cout << "per-class test accuracy\n" << eval.per_class << "\n";
  loss_sum_ = 0;
  losses_ = 0;
  correct_ = 0;
  seen_ = 0;
}
