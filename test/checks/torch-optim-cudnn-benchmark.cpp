// RUN: %check_trainlint %s torch-optim-cudnn-benchmark %t
// RUN: %check_trainlint %s torch-optim-cudnn-benchmark %t.tuned --check-prefix=CHECK-TUNED -- -DAUTOTUNED
// RUN: %check_trainlint %s torch-optim-cudnn-benchmark %t.cpu --check-prefix=CHECK-CPU -- -DCPU_ONLY
// RUN: %check_trainlint %s torch-optim-cudnn-benchmark %t.dense --check-prefix=CHECK-DENSE -- -DNO_CONVOLUTION

#include <torch/torch.h>

// A network with a convolution, built in a member's initializer.
struct NetImpl : torch::nn::Module {
#ifndef NO_CONVOLUTION
  torch::nn::Sequential features{
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 5).padding(2)),
      torch::nn::ReLU()};
#endif
  torch::nn::Linear fc{16, 10};
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Tensor y) {
#ifdef CPU_ONLY
  torch::Device device(torch::kCPU);
#else
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
#endif
  model->to(device);
  for (int step = 0; step < 1000; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: convolutional network trained on the device without the cuDNN autotuner; call 'at::globalContext().setBenchmarkCuDNN(true)' once before training, so that cuDNN times its algorithms for each input shape and keeps the fastest [torch-optim-cudnn-benchmark]
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x.to(device)), y.to(device));
    loss.backward();
    optimizer.step();
  }
  // A second training loop: the autotuner is one setting of the program,
  // reported once.
  for (int step = 0; step < 10; ++step) {
    auto loss = torch::mse_loss(model->forward(x.to(device)), y.to(device));
    loss.backward();
    optimizer.step();
  }
}

int main() {
#ifdef AUTOTUNED
  at::globalContext().setBenchmarkCuDNN(true);
#endif
  Net model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  train(model, optimizer, torch::randn({8, 1, 28, 28}), torch::randn({8, 10}));
  return 0;
}
