// RUN: %check_trainlint %s torch-optim-conv-bias-before-batchnorm %t

#include <torch/torch.h>

// In a Sequential's constructor, from options that keep the bias: the fix
// appends '.bias(false)' to them.
torch::nn::Sequential features() {
  return torch::nn::Sequential(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 5).padding(2)),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the bias of this convolution is wasted work: the batch normalization right after it subtracts the per-channel mean, bias included; build the convolution with '.bias(false)' [torch-optim-conv-bias-before-batchnorm]
      // CHECK-FIXES: torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 5).padding(2).bias(false)),
      torch::nn::BatchNorm2d(16),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: note: batch normalization follows here
      torch::nn::ReLU());
}

// Plain arguments, with the holder's name written: rewritten to its
// options. An explicit '.bias(true)' becomes false.
struct EncoderImpl : torch::nn::Module {
  torch::nn::Sequential layers{
      torch::nn::Conv2d(3, 8, 3),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the bias of this convolution is wasted work
      // CHECK-FIXES: torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 8, 3).bias(false)),
      torch::nn::BatchNorm2d(8),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: note: batch normalization follows here
      torch::nn::ReLU(),
      torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 8, 3).bias(true).stride(2)),
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the bias of this convolution is wasted work
      // CHECK-FIXES: torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 8, 3).bias(false).stride(2)),
      torch::nn::BatchNorm2d(8)};
      // CHECK-MESSAGES: :[[@LINE-1]]:7: note: batch normalization follows here
};

// Consecutive push_backs onto one Sequential, a transposed convolution.
torch::nn::Sequential generator() {
  torch::nn::Sequential net;
  net->push_back(torch::nn::ConvTranspose2d(
      // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: the bias of this convolution is wasted work
      torch::nn::ConvTranspose2dOptions(100, 64, 4).stride(1)));
  // CHECK-FIXES: torch::nn::ConvTranspose2dOptions(100, 64, 4).stride(1).bias(false)));
  net->push_back(torch::nn::BatchNorm2d(64));
  // CHECK-MESSAGES: :[[@LINE-1]]:18: note: batch normalization follows here
  net->push_back(torch::nn::ReLU());
  return net;
}

// A name brought in by a using-declaration may not bring its options with
// it: no fix, the options are named in a note.
using torch::nn::BatchNorm1d;
using torch::nn::Conv1d;
torch::nn::Sequential sequenceFeatures() {
  return torch::nn::Sequential(Conv1d(1, 4, 3), BatchNorm1d(4));
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: the bias of this convolution is wasted work
  // CHECK-MESSAGES: :[[@LINE-2]]:49: note: batch normalization follows here
  // CHECK-MESSAGES: :[[@LINE-3]]:32: note: build it from options: 'torch::nn::Conv1dOptions(1, 4, 3).bias(false)'
}

// A module's members, registered in the constructor and applied one after
// the other in forward.
struct BlockImpl : torch::nn::Module {
  BlockImpl() {
    conv1 = register_module(
        "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 16, 3)));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: the bias of this convolution is wasted work
    // CHECK-FIXES: "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 16, 3).bias(false)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(16));
  }
  torch::Tensor forward(torch::Tensor x) { return bn1(conv1(x)); }
  // CHECK-MESSAGES: :[[@LINE-1]]:51: note: batch normalization follows here
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
};

// The ResNet shape: members built in the constructor's initializers, and
// `out = conv->forward(x); out = bn->forward(out);` in forward.
struct ResidualImpl : torch::nn::Module {
  ResidualImpl() : conv1(8, 8, 3), bn1(8), conv2(shortcut()), bn2(8) {
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the bias of this convolution is wasted work
    // CHECK-FIXES: ResidualImpl() : conv1(torch::nn::Conv2dOptions(8, 8, 3).bias(false)), bn1(8), conv2(shortcut()), bn2(8) {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
    register_module("conv2", conv2);
    register_module("bn2", bn2);
  }
  torch::Tensor forward(torch::Tensor x) {
    auto out = conv1->forward(x);
    out = bn1->forward(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:11: note: batch normalization follows here
    // conv2 comes from a factory function, whose options the check does
    // not read (it may turn the bias off): silent.
    out = conv2->forward(out);
    out = bn2->forward(out);
    return out + x;
  }
  static torch::nn::Conv2d shortcut();
  torch::nn::Conv2d conv1, conv2;
  torch::nn::BatchNorm2d bn1, bn2;
};

// Negative cases.
torch::nn::Sequential negatives(bool withBias) {
  // The bias is already off.
  torch::nn::Sequential a(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 3).bias(false)),
      torch::nn::BatchNorm2d(8));
  // An activation between them: the normalization does not cancel the bias.
  torch::nn::Sequential b(torch::nn::Conv2d(1, 8, 3), torch::nn::ReLU(),
                          torch::nn::BatchNorm2d(8));
  // Normalization before the convolution.
  torch::nn::Sequential c(torch::nn::BatchNorm2d(1), torch::nn::Conv2d(1, 8, 3));
  // A flag known only at run time.
  torch::nn::Sequential d(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 3).bias(withBias)),
      torch::nn::BatchNorm2d(8));
  // Options kept in a variable, which may have been set elsewhere.
  auto options = torch::nn::Conv2dOptions(1, 8, 3);
  torch::nn::Sequential e(torch::nn::Conv2d(options), torch::nn::BatchNorm2d(8));
  // push_backs onto two different Sequentials.
  torch::nn::Sequential f, g;
  f->push_back(torch::nn::Conv2d(1, 8, 3));
  g->push_back(torch::nn::BatchNorm2d(8));
  return a;
}
