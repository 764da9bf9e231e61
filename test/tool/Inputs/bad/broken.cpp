// Does not compile: the analysis reports it as an error, not as findings.
#include <torch/torch.h>

double broken(torch::Tensor x) {
  for (int step = 0; step < 10; ++step)
    x.backward()
  return x.item<double>();
}
