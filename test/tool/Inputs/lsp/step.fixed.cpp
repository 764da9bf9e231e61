// The editor tests' training step: one finding per line, so that a test can
// edit around each. The text is not all ASCII: λ → 𝔼[loss] (𝔼 takes two UTF-16
// code units), which moves every later UTF-16 column away from its byte column.
#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

double train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
             torch::Tensor y, torch::Device device) {
  double total = 0;
  for (int step = 0; step < 100; ++step) {
    /* 𝔼 */ optimizer.zero_grad(true);
    auto scaled = torch::full({4}, 0.5) * 4;
    auto loss = torch::mse_loss(model->forward(x) * scaled, y);
    loss.backward();
    optimizer.step();
    total += loss.item<float>(); // λ: the running loss // NOLINT(torch-sync-item)
  }
  return total;
}
