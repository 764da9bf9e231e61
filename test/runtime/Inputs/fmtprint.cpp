// A small training program that formats its loss with fmt every step, and
// once in a while, for the validator's test of torch-sync-device-to-host on
// tensors formatted with fmt (fmt.test). The
// test names lines of this file: keep the marked lines where they are or
// update it.
//
//   fmtprint [STEPS]

#include <torch/torch.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cstdlib>
#include <string>

// fmt formats a tensor through libtorch's operator<<.
template <> struct fmt::formatter<torch::Tensor> : fmt::ostream_formatter {};

int main(int argc, char **argv) {
  const int Steps = argc > 1 ? std::atoi(argv[1]) : 12;
  torch::manual_seed(0);
  torch::Device Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  torch::nn::Linear Model(4, 1);
  Model->to(Device);
  torch::optim::SGD Optimizer(Model->parameters(), 0.01);
  auto X = torch::randn({16, 4}).to(Device);
  auto Y = torch::randn({16, 1}).to(Device);

  for (int Step = 0; Step < Steps; ++Step) {
    Optimizer.zero_grad();
    auto Loss = torch::mse_loss(Model->forward(X), Y);
    Loss.backward();
    Optimizer.step();
    fmt::print("step {} loss {}\n", Step, Loss); // line 35: every step
    std::string Text = fmt::format("{}", fmt::streamed(Loss)); // line 36
    if (Step % 1000 == 999)
      fmt::print("loss {}\n", Loss); // line 38: never in a short run
  }
  return 0;
}
