#pragma once
#include <torch/torch.h>

void log_loss(const torch::Tensor &loss, int step);
