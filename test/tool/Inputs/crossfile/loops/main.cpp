// The training loop of the loops project: each step hands the loss to a
// helper in step.cpp, which keeps its history.
#include <torch/torch.h>

void record(torch::Tensor &history, const torch::Tensor &loss);

int main() {
  torch::nn::Linear model(4, 1);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  torch::Tensor history;
  auto x = torch::randn({8, 4});
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    record(history, loss);
  }
}
