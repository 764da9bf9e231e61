// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-no-mixed-precision %t
// RUN: %check_trainlint_real %s torch-optim-no-mixed-precision %t.half --check-prefix=CHECK-HALF -- -DHALF_MODEL

// The genuine headers: the device chosen as the pytorch/examples programs
// do, and the model converted with Module::to(dtype).

#include <torch/torch.h>

int main() {
  torch::Device device(torch::kCPU);
  if (torch::cuda::is_available())
    device = torch::Device(torch::kCUDA);
  torch::nn::Linear model(8, 1);
  model->to(device);
#ifdef HALF_MODEL
  model->to(torch::kHalf);
#endif
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  auto x = torch::randn({64, 8}, device);
  auto y = torch::randn({64, 1}, device);
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs every step in full precision on the device
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
  }
  return 0;
}
