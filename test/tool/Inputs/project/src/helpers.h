// Called from the training loops of train.cpp and finetune.cpp: its finding
// is reported once, however many translation units include this header.
#pragma once

#include <torch/torch.h>

#include <cstdio>

inline void logLoss(const torch::Tensor &loss) {
  std::printf("%f\n", loss.item<float>());
}
