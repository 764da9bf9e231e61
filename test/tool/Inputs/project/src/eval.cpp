// An evaluation loop that reads every batch's score on the host.
#include "net.h"

double evaluate(Net &model, torch::Tensor x) {
  double sum = 0;
  for (int batch = 0; batch < 10; ++batch) {
    auto out = model->forward(x);
    sum += out.sum().item<double>();
  }
  return sum;
}
