// A second training loop that logs through the shared helper.
#include "helpers.h"
#include "net.h"

void finetune(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    logLoss(loss);
  }
}
