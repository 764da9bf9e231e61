// The device is chosen here, for the model that main.cpp trains.
#include <torch/torch.h>

void prepare(torch::nn::Sequential &model) {
  if (torch::cuda::is_available())
    model->to(torch::kCUDA);
}
