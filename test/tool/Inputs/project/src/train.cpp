// A training loop that waits on the device more often than it needs to.
#include "helpers.h"
#include "net.h"

double train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
             torch::Tensor y, torch::Device device) {
  auto scale = torch::ones({1}).to(device);
  double total = 0;
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x) * scale, y);
    loss.backward();
    optimizer.step();
    total += loss.item<float>();
    logLoss(loss);
    // Suppressed by a NOLINT comment on the line:
    total += loss.item<double>(); // NOLINT(torch-sync-item)
    // NOLINTNEXTLINE(torch-sync-item)
    total += loss.item<double>();
  }
  return total;
}
