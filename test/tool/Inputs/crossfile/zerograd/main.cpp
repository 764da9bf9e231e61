// The training loops of the zerograd project: each step is a helper of
// step.cpp, and only that file says whether the gradients are cleared.
#include <torch/torch.h>

void stepAndClear(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                  const torch::Tensor &x);
void stepOnly(torch::nn::Linear &model, torch::optim::SGD &optimizer,
              const torch::Tensor &x);

int main() {
  torch::nn::Linear model(4, 1);
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.1).momentum(0.9));
  auto x = torch::randn({8, 4});
  // step.cpp's helper clears the gradients: silent.
  for (int step = 0; step < 100; ++step)
    stepAndClear(model, optimizer, x);
  // Nothing clears them.
  for (int step = 0; step < 100; ++step)
    stepOnly(model, optimizer, x);
}
