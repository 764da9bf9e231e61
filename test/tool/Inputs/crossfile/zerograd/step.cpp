// Read alone, this file has no loop: its helpers train one step each.
#include <torch/torch.h>

void stepAndClear(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                  const torch::Tensor &x) {
  optimizer.zero_grad();
  model->forward(x).sum().backward();
  optimizer.step();
}

void stepOnly(torch::nn::Linear &model, torch::optim::SGD &optimizer,
              const torch::Tensor &x) {
  model->forward(x).sum().backward();
  optimizer.step();
}
