// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-optim-no-grad-clipping %t

// The genuine headers: LSTMImpl derives from detail::RNNImplBase, LSTM is a
// TORCH_MODULE holder, and the transformer modules are Cloneable.

#include <torch/torch.h>

struct TaggerImpl : torch::nn::Module {
  TaggerImpl()
      : lstm(register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(8, 16)))),
        head(register_module("head", torch::nn::Linear(16, 4))) {}
  torch::Tensor forward(torch::Tensor x) {
    return head(std::get<0>(lstm->forward(x)));
  }
  torch::nn::LSTM lstm;
  torch::nn::Linear head;
};
TORCH_MODULE(Tagger);

void train(Tagger &model, torch::nn::TransformerEncoder &encoder,
           torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop trains a model with a 'torch::nn::LSTM' and never clips its gradients, so one exploding gradient can throw the weights far off in a single step; call 'torch::nn::utils::clip_grad_norm_(model->parameters(), max_norm)' between 'backward()' and 'step()' [torch-optim-no-grad-clipping]
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop trains a model with a 'torch::nn::TransformerEncoder' and never clips its gradients
    optimizer.zero_grad();
    encoder(x).sum().backward();
    optimizer.step();
  }
  // Clipped: silent.
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
    optimizer.step();
  }
}
