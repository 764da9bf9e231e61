#include "trainer.h"

int main() {
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  std::vector<torch::Tensor> xs(10, torch::randn({8, 8}));
  std::vector<torch::Tensor> ys(10, torch::randn({8, 1}));
  Trainer trainer(Net(), device);
  trainer.fit(xs, ys);
  return 0;
}
