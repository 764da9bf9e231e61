// A project that names no device anywhere: every tensor is on the CPU.
#include <torch/torch.h>

double train_step(torch::nn::Linear &model, torch::optim::SGD &opt,
                  const torch::Tensor &x, const torch::Tensor &y);

int main() {
  torch::nn::Linear model(8, 1);
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  auto x = torch::randn({64, 8});
  auto y = torch::randn({64, 1});
  double total = 0;
  for (int step = 0; step < 100; ++step)
    total += train_step(model, opt, x, y) + x.sum().item<double>();
  return total > 0;
}
