// RUN: %check_trainlint %s torch-optim-missing-zero-grad %t

#include <torch/torch.h>

// forward() is defined here: a call into code that no file at hand defines
// may clear the gradients, and keeps the check silent.
struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- Positives ------------------------------------------------------===//

void neverCleared(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs backward and an optimizer step but never clears the gradients, so each step adds the gradients of every earlier step to its own; call 'optimizer.zero_grad()' once per step, before 'backward()' [torch-optim-missing-zero-grad]
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
  }
}

// Cleared once, before the loop: the second step already adds to the first
// step's gradients.
void clearedOnceBefore(Net &model, torch::optim::Adam &optimizer,
                       torch::Tensor x) {
  optimizer.zero_grad();
  int step = 0;
  while (step++ < 100) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs backward and an optimizer step but never clears the gradients
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// The epoch loop around the training loop gets no finding of its own: one
// problem, one finding, on the loop that steps.
template <typename Loader>
void epochs(Net &model, torch::optim::SGD &optimizer, Loader &loader) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : loader) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: training loop runs backward and an optimizer step but never clears the gradients
      auto loss = model->forward(batch.data).sum();
      loss.backward();
      optimizer.step();
    }
  }
}
void runEpochs(Net &model, torch::optim::SGD &optimizer) {
  auto loader =
      torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  epochs(model, optimizer, *loader);
}

// The step and the backward pass in a helper of this file.
void trainStep(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  model->forward(x).sum().backward();
  optimizer.step();
}
void helperSteps(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step)
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs backward and an optimizer step but never clears the gradients
    trainStep(model, optimizer, x);
}

// Zeroing a different thing: a tensor's values, not a gradient.
void zeroesTheWrongTensor(Net &model, torch::optim::SGD &optimizer,
                          torch::Tensor x, torch::Tensor running) {
  for (int step = 0; step < 100; ++step) {
    // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: training loop runs backward and an optimizer step but never clears the gradients
    model->forward(x).sum().backward();
    optimizer.step();
    running.zero_();
  }
}

//===--- Negatives ------------------------------------------------------===//

// The optimizer clears the gradients each step.
void optimizerClears(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// The module clears them, after the step.
void moduleClears(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    model->zero_grad();
  }
}

// Per parameter, by zeroing or by resetting the gradient.
void perParameter(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    for (auto &p : model->parameters())
      p.grad().zero_();
    model->forward(x).sum().backward();
    optimizer.step();
  }
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    for (auto &p : model->parameters())
      p.mutable_grad().reset();
  }
}

// Gradient accumulation: the gradients of four batches add up on purpose,
// and are cleared under the condition that steps.
void accumulates(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    if ((step + 1) % 4 == 0) {
      optimizer.step();
      optimizer.zero_grad();
    }
  }
}

// Accumulation over micro-batches in an inner loop: the outer loop steps
// and clears; the inner loop only runs backward.
void microBatches(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    for (int micro = 0; micro < 4; ++micro)
      model->forward(x).sum().backward();
    optimizer.step();
  }
}

// An enclosing loop clears them once per epoch: accumulation over an epoch.
void clearedPerEpoch(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    optimizer.zero_grad();
    for (int step = 0; step < 100; ++step) {
      model->forward(x).sum().backward();
      optimizer.step();
    }
  }
}

// The helper is defined in another file and may clear the gradients; the
// plugin alone cannot tell (the project run decides: test/tool).
void clearGradients(Net &model);
void opaqueHelper(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    clearGradients(model);
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

// Backward with no step (a gradient probe), and inference: not training.
void noStep(Net &model, torch::Tensor x) {
  for (int step = 0; step < 100; ++step)
    model->forward(x).sum().backward();
  for (int step = 0; step < 100; ++step)
    model->forward(x);
}
