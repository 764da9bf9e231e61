// Does not compile: an error, and no finding ('item()' is after the loop).
#include <torch/torch.h>

double broken(torch::Tensor x) {
  for (int step = 0; step < 10; ++step)
    x.backward()
  return x.item<double>();
}
