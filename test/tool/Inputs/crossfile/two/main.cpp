// The device is chosen here, at run time, and passed down; the loop calls a
// step defined in step.cpp.
#include "step.h"

int main(int argc, char **argv) {
  torch::Device device(argc > 1 ? argv[1] : "cpu");
  Net model;
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  auto x = torch::randn({64, 8});
  auto y = torch::randn({64, 1});
  double total = 0;
  for (int step = 0; step < 100; ++step) {
    total += train_step(model, opt, x, y, device);
    auto last = torch::randn({1}).to(device);
    total += last.item<double>();
  }
  return static_cast<int>(total + eval_batch(model, x));
}
