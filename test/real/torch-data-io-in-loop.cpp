// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-data-io-in-loop %t

// The genuine headers: libstdc++'s file streams, torch::load of libtorch 1.13.

#include <fstream>
#include <string>
#include <vector>

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  NetImpl() : fc(register_module("fc", torch::nn::Linear(4, 2))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};
TORCH_MODULE(Net);

// A tensor file per step, and a label file opened per step.
void train(Net &model, torch::optim::SGD &optimizer,
           const std::vector<std::string> &files) {
  for (size_t step = 0; step < files.size(); ++step) {
    torch::Tensor x;
    torch::load(x, files[step]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::load' reads and deserializes a file on the training thread on every iteration of the training loop, and the step waits for it; do it once before the loop, or in the get() of a dataset whose loader has workers [torch-data-io-in-loop]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    std::ifstream labels(files[step] + ".txt");
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'std::ifstream' opens a file on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: training loop starts here
    std::string line;
    std::getline(labels, line);
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
    // A checkpoint every 1000 steps: rare, silent.
    if (step % 1000 == 0) {
      torch::save(model, "ckpt.pt");
      torch::load(model, "ckpt.pt");
    }
  }
}

// Read once before the loop: setup, silent.
void preloaded(Net &model, torch::optim::SGD &optimizer, const std::string &path) {
  torch::Tensor all;
  torch::load(all, path);
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    model->forward(all).sum().backward();
    optimizer.step();
  }
}
