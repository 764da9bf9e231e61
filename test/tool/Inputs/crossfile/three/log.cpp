// A logger: it reads tensors on the host. It names no device and runs no
// loop, so only the project knows that a training loop calls it.
#include "log.h"

#include <cstdio>

void log_loss(const torch::Tensor &loss, int step) {
  std::printf("loss %f\n", loss.item<float>());
  if (step % 100 == 0)
    std::printf("checkpoint loss %f\n", loss.item<float>());
}
