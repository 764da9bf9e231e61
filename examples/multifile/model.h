// The model of the multi-file example: a two-layer perceptron that scores
// each class of a point.

#ifndef TRAINLINT_EXAMPLES_MULTIFILE_MODEL_H
#define TRAINLINT_EXAMPLES_MULTIFILE_MODEL_H

#include <torch/torch.h>

struct MlpImpl : torch::nn::Module {
  MlpImpl(int64_t inputs, int64_t hidden_units, int64_t classes);
  torch::Tensor forward(torch::Tensor x);

  torch::nn::Linear hidden{nullptr};
  torch::nn::Linear output{nullptr};
};
TORCH_MODULE(Mlp);

#endif // TRAINLINT_EXAMPLES_MULTIFILE_MODEL_H
