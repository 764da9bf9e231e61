// The data project's training loop, over a loader built in main.cpp; each
// step reads a mask with a helper of io.cpp.
#include "data.h"

void trainEpoch(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                FrameLoader &loader) {
  for (auto &batch : loader) {
    optimizer.zero_grad();
    auto mask = readMask("mask.bin");
    auto loss = (model->forward(batch.data) * mask).sum();
    loss.backward();
    optimizer.step();
  }
}
