// Read alone, this file has no loop: what makes its growing history and its
// constant mask cost something on every step is main.cpp's training loop.
#include <torch/torch.h>

void record(torch::Tensor &history, const torch::Tensor &loss) {
  history = torch::cat({history, loss});
  auto scale = torch::ones({8, 8});
  history.mul_(scale.mean().item<double>());
}
