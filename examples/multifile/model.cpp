// The model of the multi-file example.

#include "model.h"

MlpImpl::MlpImpl(int64_t inputs, int64_t hidden_units, int64_t classes)
    : hidden(
          register_module("hidden", torch::nn::Linear(inputs, hidden_units))),
      output(register_module("output",
                             torch::nn::Linear(hidden_units, classes))) {}

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  return output->forward(torch::relu(hidden->forward(x)));
}
