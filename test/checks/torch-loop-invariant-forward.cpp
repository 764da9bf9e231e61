// RUN: %check_trainlint %s torch-loop-invariant-forward %t

#include <torch/torch.h>

#include <vector>

struct VggImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Vgg : torch::nn::ModuleHolder<VggImpl> {
  using ModuleHolder::ModuleHolder;
};

// Neural style transfer: the optimizer updates the generated image, not the
// network; the content and style images never change.
void styleTransfer(Vgg &model, torch::Tensor content, torch::Tensor style) {
  auto target = content.clone();
  torch::optim::Adam optimizer(std::vector<torch::Tensor>{target},
                               torch::optim::AdamOptions(3e-3));
  for (int step = 0; step < 2000; ++step) {
    auto targetFeatures = model->forward(target);
    auto contentFeatures = model->forward(content);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: this module call computes the same value on every iteration of the training loop, from inputs that do not change in the loop; compute it once before the loop [torch-loop-invariant-forward]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: its inputs are the same on each iteration of this loop
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    auto styleGram = model(style).matmul(model(style).t());
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: this tensor expression computes the same value on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: its inputs are the same on each iteration of this loop
    // It reads a variable the loop computes from invariant inputs: the
    // computation of that variable is reported instead.
    auto styleNorm = styleGram.sum() * 2;
    auto targetGram = targetFeatures.matmul(targetFeatures.t());
    auto loss = torch::mse_loss(targetFeatures, contentFeatures) +
                torch::mse_loss(targetGram, styleGram) + styleNorm;
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
}

// The VGG of pytorch-cpp's style transfer returns its feature maps in a
// vector; the loss sums over them in an inner loop.
struct VggFeaturesImpl : torch::nn::Module {
  std::vector<torch::Tensor> forward(torch::Tensor x);
};
struct VggFeatures : torch::nn::ModuleHolder<VggFeaturesImpl> {
  using ModuleHolder::ModuleHolder;
};
void styleTransferFeatures(VggFeatures &model, torch::Tensor content,
                           torch::Tensor style, torch::Device device) {
  auto target = content.clone();
  torch::optim::Adam optimizer(std::vector<torch::Tensor>{target},
                               torch::optim::AdamOptions(3e-3));
  for (size_t step = 0; step != 2000; ++step) {
    auto targetFeatures = model->forward(target);
    auto contentFeatures = model->forward(content);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: this module call computes the same value on every iteration of the training loop
    auto styleFeatures = model->forward(style);
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: this module call computes the same value on every iteration of the training loop
    auto loss = torch::zeros({1}, torch::TensorOptions(device));
    for (size_t f = 0; f != targetFeatures.size(); ++f) {
      // Silent: they read the features the loop computes, which are reported
      // where they are computed.
      auto c = styleFeatures[f].size(1);
      auto styleFeature = styleFeatures[f].view({c, -1});
      styleFeature = styleFeature.matmul(styleFeature.t());
      loss += torch::mse_loss(targetFeatures[f], contentFeatures[f]) +
              torch::mse_loss(targetFeatures[f], styleFeature);
    }
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
}

// A causal mask of a fixed size, rebuilt on every step.
void trainDecoder(Vgg &model, torch::optim::SGD &optimizer, torch::Tensor x,
                  int64_t len, torch::Device device) {
  for (int step = 0; step < 100; ++step) {
    auto mask = torch::ones({len, len}).triu(1).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: this tensor expression computes the same value on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: its inputs are the same on each iteration of this loop
    auto scaled = torch::full({len}, 0.5) * 4;
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: this tensor expression computes the same value
    auto loss = model->forward(x.masked_fill(mask, 0) * scaled).sum();
    loss.backward();
    optimizer.step();
  }
}

// A frozen encoder evaluated on the same input in an evaluation loop.
template <typename Loader>
void evaluate(Vgg &encoder, Vgg &head, Loader &loader, torch::Tensor prompt) {
  torch::NoGradGuard noGrad;
  for (auto &batch : loader) {
    auto promptFeatures = encoder(prompt);
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: this module call computes the same value on every iteration of the evaluation loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: its inputs are the same on each iteration of this loop
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: evaluation loop starts here
    auto out = head->forward(batch.data + promptFeatures);
  }
}
void runEvaluation(Vgg &encoder, Vgg &head, torch::Tensor prompt) {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  evaluate(encoder, head, *loader, prompt);
}

// Negative cases, each with the reason it must stay silent.
void trainsTheModel(Vgg &model, torch::Tensor x, torch::Tensor y) {
  // The optimizer updates the model's parameters: its output changes.
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int step = 0; step < 100; ++step) {
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
  }
}
void trainsThroughAVariable(Vgg &model, torch::Tensor x, torch::Tensor y) {
  auto params = model->parameters();
  torch::optim::SGD optimizer(params, torch::optim::SGDOptions(0.1));
  for (int step = 0; step < 100; ++step) {
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
  }
}
// An optimizer whose construction is out of view may update anything.
void trainsWithAParameter(Vgg &model, torch::optim::Optimizer &optimizer,
                          torch::Tensor x, torch::Tensor y, int64_t len) {
  for (int step = 0; step < 100; ++step) {
    auto loss = torch::mse_loss(model->forward(x), y);
    // Built from factories and sizes alone, no optimizer can change it.
    auto mask = torch::ones({len, len}).tril();
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: this tensor expression computes the same value on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: its inputs are the same on each iteration of this loop
    (loss + mask.sum()).backward();
    optimizer.step();
  }
}
struct Dropper : torch::nn::Module {
  torch::nn::Dropout drop{torch::nn::DropoutImpl(0.5)};
  torch::Tensor forward(torch::Tensor x) { return drop(x); }
};
void randomModules(Vgg &model, torch::nn::Dropout &dropout, Dropper &dropper,
                   torch::Tensor x, torch::Tensor y) {
  auto target = x.clone();
  torch::optim::Adam optimizer(std::vector<torch::Tensor>{target},
                               torch::optim::AdamOptions(3e-3));
  for (int step = 0; step < 100; ++step) {
    // Dropout draws a new mask on every call.
    auto dropped = dropout(x);
    auto droppedToo = dropper.forward(x);
    // Random operations differ on every call.
    auto noisy = x + torch::randn({4});
    // Under a rare condition on the step counter.
    torch::Tensor reference;
    if (step % 100 == 0)
      reference = model->forward(x);
    // Its input changes in the loop.
    y = y * 0.5;
    auto loss = (model->forward(target) + dropped + droppedToo + noisy +
                 model->forward(y))
                    .sum();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    // Views and moves cost nothing worth a warning.
    auto firstRow = x.select(0, 0).view({-1});
    // A bare factory is torch-loop-invariant-tensor's.
    auto ones = torch::ones({4}).to(x.device());
    // Written into afterwards: computing it once would share the buffer.
    auto acc = x * 2;
    acc.add_(loss);
  }
}
