// RUN: %check_trainlint %s torch-optim-no-grad-clipping %t

#include <torch/torch.h>

#include <memory>
#include <tuple>

// A sequence model of the user's: its LSTM is a member.
struct TaggerImpl : torch::nn::Module {
  TaggerImpl()
      : lstm(register_module("lstm", torch::nn::LSTM(16, 32))),
        head(register_module("head", torch::nn::Linear(32, 4))) {}
  torch::Tensor forward(torch::Tensor x) {
    return head(std::get<0>(lstm->forward(x)));
  }
  torch::nn::LSTM lstm;
  torch::nn::Linear head;
};
struct Tagger : torch::nn::ModuleHolder<TaggerImpl> {
  using ModuleHolder::ModuleHolder;
};

// A transformer registered in the constructor's body, kept by no member.
struct EncoderImpl : torch::nn::Module {
  EncoderImpl() { register_module("layer", torch::nn::TransformerEncoderLayer(32, 4)); }
  torch::Tensor forward(torch::Tensor x) { return x; }
};

// A feed-forward model.
struct MlpImpl : torch::nn::Module {
  MlpImpl() : fc(register_module("fc", torch::nn::Linear(16, 4))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};

//===--- Positives ------------------------------------------------------===//

void trainTagger(Tagger &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop trains a model with a 'torch::nn::LSTM' and never clips its gradients, so one exploding gradient can throw the weights far off in a single step; call 'torch::nn::utils::clip_grad_norm_(model->parameters(), max_norm)' between 'backward()' and 'step()' [torch-optim-no-grad-clipping]
    optimizer.zero_grad();
    auto loss = model->forward(x).sum();
    // CHECK-MESSAGES: :[[@LINE-1]]:17: note: 'model' is trained here
    // CHECK-MESSAGES: :[[@LINE-28]]:19: note: member 'lstm' of 'TaggerImpl' is a 'torch::nn::LSTM'
    loss.backward();
    optimizer.step();
  }
}

// A GRU called directly, through the holder's call operator.
void trainGru(torch::nn::GRU &gru, torch::optim::SGD &optimizer,
              torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop trains a model with a 'torch::nn::GRU' and never clips its gradients
    optimizer.zero_grad();
    gru(x).sum().backward();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: 'gru' is trained here
    optimizer.step();
  }
}

// Known by the optimizer it steps: built from the encoder's parameters,
// while the forward pass goes through a helper of this file.
torch::Tensor lossOf(std::shared_ptr<EncoderImpl> &encoder, torch::Tensor x) {
  return encoder->forward(x).sum();
}
void trainEncoder(std::shared_ptr<EncoderImpl> encoder, torch::Tensor x) {
  torch::optim::Adam optimizer(encoder->parameters(),
                               torch::optim::AdamOptions(1e-4));
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop trains a model with a 'torch::nn::TransformerEncoderLayer' and never clips its gradients
    // CHECK-MESSAGES: :[[@LINE-4]]:32: note: the optimizer that the loop steps updates the parameters of 'encoder'
    // CHECK-MESSAGES: :[[@LINE-48]]:19: note: 'EncoderImpl' registers a 'torch::nn::TransformerEncoderLayer' here
    optimizer.zero_grad();
    lossOf(encoder, x).backward();
    optimizer.step();
  }
}

//===--- Negatives ------------------------------------------------------===//

// Clipped by norm, or by value.
void clipped(Tagger &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
    optimizer.step();
  }
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    torch::nn::utils::clip_grad_value_(model->parameters(), 0.5);
    optimizer.step();
  }
}

// A feed-forward model rarely has exploding gradients.
void feedForward(MlpImpl &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model.forward(x).sum().backward();
    optimizer.step();
  }
}

// Evaluating the LSTM trains nothing.
void evaluate(Tagger &model, torch::Tensor x) {
  torch::NoGradGuard noGrad;
  for (int step = 0; step < 100; ++step)
    model->forward(x);
}

// A helper defined elsewhere may clip.
void clipAll(Tagger &model);
void opaque(Tagger &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    clipAll(model);
    optimizer.step();
  }
}

// The epoch loop around a clipped training loop.
void epochs(Tagger &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch)
    for (int step = 0; step < 100; ++step) {
      optimizer.zero_grad();
      model->forward(x).sum().backward();
      torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
      optimizer.step();
    }
}
