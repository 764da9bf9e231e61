// The loss and its backward pass: the loop in trainer.h trains because of
// what this file does.
#include "trainer.h"

torch::Tensor compute_loss(Net &model, const torch::Tensor &x,
                           const torch::Tensor &y) {
  auto loss = torch::mse_loss(model->forward(x), y);
  loss.backward();
  return loss;
}
