// The data project's main: it builds the loader (no workers) and hands it to
// trainer.cpp, whose loop trains on its batches.
#include "data.h"

int main() {
  torch::nn::Linear model(4, 1);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  Frames frames;
  auto loader = torch::data::make_data_loader(
      std::move(frames).map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(32));
  for (int epoch = 0; epoch < 10; ++epoch)
    trainEpoch(model, optimizer, *loader);
}
