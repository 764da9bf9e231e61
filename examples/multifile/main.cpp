// A three-class classifier on synthetic points, split over files the way real
// training programs are: the model, the data and its batching, the training
// step, the logging, and this loop. Each file alone looks harmless; the waits
// for the device are in the files this loop calls, on every step.
//
//   train [STEPS]     (default 300)

#include "data.h"
#include "log.h"
#include "model.h"
#include "train_step.h"

#include <cstdlib>

int main(int argc, char **argv) {
  torch::manual_seed(0);
  const int steps = argc > 1 ? std::atoi(argv[1]) : 300;
  const torch::Device device(torch::cuda::is_available() ? torch::kCUDA
                                                         : torch::kCPU);

  const torch::Tensor directions = make_directions();
  const SyntheticPoints train_set(2048, directions);
  const SyntheticPoints test_set(512, directions);
  const BatchLoader train_loader(train_set, 64, /*shuffle=*/true);
  const std::vector<Batch> test_batches =
      BatchLoader(test_set, 256, /*shuffle=*/false).next_epoch();

  Mlp model(kFeatures, 32, kClasses);
  model->to(device);
  torch::optim::Adam optimizer(model->parameters(),
                               torch::optim::AdamOptions(1e-2));
  TrainingLog log;

  int step = 0;
  for (int epoch = 1; step < steps; ++epoch) {
    for (const Batch &batch : train_loader.next_epoch()) {
      if (step == steps)
        break;
      const double loss = train_step(model, optimizer, batch, device, log);
      log.add_loss(loss);
      if (step % 50 == 0)
        log.print_step(step, model->output->weight);
      ++step;
    }
    log.end_epoch(epoch, evaluate(model, test_batches, device));
  }
  return 0;
}
