// A convolutional network trained in a loop of this file, which names no
// device: prepare.cpp picks it.
#include <torch/torch.h>

void prepare(torch::nn::Sequential &model);

int main() {
  torch::nn::Sequential model(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 3).bias(false)),
      torch::nn::ReLU());
  prepare(model);
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  auto x = torch::randn({4, 1, 8, 8});
  for (int step = 0; step < 100; ++step) {
    opt.zero_grad();
    auto loss = model->forward(x).sum();
    loss.backward();
    opt.step();
  }
  return 0;
}
