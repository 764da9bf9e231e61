// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-cudnn-benchmark %t
// RUN: %check_trainlint_real %s torch-optim-cudnn-benchmark %t.tuned --check-prefix=CHECK-TUNED -- -DAUTOTUNED

// The genuine headers: a DCGAN-like discriminator trained on the device the
// program picks, with and without the cuDNN autotuner.

#include <torch/torch.h>

int main() {
#ifdef AUTOTUNED
  at::globalContext().setBenchmarkCuDNN(true);
#endif
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  torch::nn::Sequential discriminator(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 64, 4).stride(2).padding(1).bias(false)),
      torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2)),
      torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 1, 3).bias(false)),
      torch::nn::Sigmoid());
  discriminator->to(device);
  torch::optim::Adam optimizer(discriminator->parameters(), torch::optim::AdamOptions(2e-4));
  auto images = torch::randn({8, 1, 28, 28}, device);
  auto labels = torch::ones({8}, device);
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: convolutional network trained on the device without the cuDNN autotuner
    discriminator->zero_grad();
    auto loss = torch::binary_cross_entropy(discriminator->forward(images).view(-1), labels);
    loss.backward();
    optimizer.step();
  }
  return 0;
}
