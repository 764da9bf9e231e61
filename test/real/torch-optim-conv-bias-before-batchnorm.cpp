// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-conv-bias-before-batchnorm %t
// The fixed file still compiles against the genuine headers.
// RUN: %clangxx %torch_flags -fsyntax-only %t.cpp

// The genuine libtorch 1.13 headers: Conv2dOptions is ConvOptions<2>, the
// holders come from TORCH_MODULE, and the rewritten options resolve.

#include <torch/torch.h>

// The shape of prabhuomkar/pytorch-cpp's convolutional network: a
// Sequential in a member's initializer.
struct ConvNetImpl : torch::nn::Module {
  torch::nn::Sequential layer1{
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 5).stride(1).padding(2)),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the bias of this convolution is wasted work
      // CHECK-FIXES: torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 5).stride(1).padding(2).bias(false)),
      torch::nn::BatchNorm2d(16),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: note: batch normalization follows here
      torch::nn::ReLU(),
      torch::nn::ConvTranspose2d(16, 8, 3),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the bias of this convolution is wasted work
      // CHECK-FIXES: torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(16, 8, 3).bias(false)),
      torch::nn::BatchNorm2d(8)};
      // CHECK-MESSAGES: :[[@LINE-1]]:7: note: batch normalization follows here
};

// The ResNet block's shape, with a convolution built from plain arguments
// in the constructor's initializers.
struct BlockImpl : torch::nn::Module {
  BlockImpl() : conv1(8, 8, 3), bn1(8) {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: the bias of this convolution is wasted work
    // CHECK-FIXES: BlockImpl() : conv1(torch::nn::Conv1dOptions(8, 8, 3).bias(false)), bn1(8) {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
  }
  torch::Tensor forward(torch::Tensor x) {
    auto out = conv1->forward(x);
    out = bn1->forward(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:11: note: batch normalization follows here
    return out;
  }
  torch::nn::Conv1d conv1;
  torch::nn::BatchNorm1d bn1;
};

// Already without a bias: silent.
torch::nn::Sequential clean() {
  return torch::nn::Sequential(
      torch::nn::Conv3d(torch::nn::Conv3dOptions(1, 4, 3).bias(false)),
      torch::nn::BatchNorm3d(4));
}
