// A small regression model trained on synthetic data. It is written the way
// many first training loops are: it works, and it waits on the device far
// more often than it needs to. `trainlint check` explains where.
//
//   train [STEPS]     (default 200)

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

struct NetImpl : torch::nn::Module {
  NetImpl()
      : fc1(register_module("fc1", torch::nn::Linear(8, 32))),
        fc2(register_module("fc2", torch::nn::Linear(32, 1))) {}
  torch::Tensor forward(torch::Tensor x) {
    return fc2->forward(torch::relu(fc1->forward(x)));
  }
  torch::nn::Linear fc1, fc2;
};
TORCH_MODULE(Net);

int main(int argc, char **argv) {
  torch::manual_seed(0);
  const int steps = argc > 1 ? std::atoi(argv[1]) : 200;
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);

  Net model;
  model->to(device);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05));

  auto inputs = torch::randn({256, 8});
  auto targets = inputs.sum(1, /*keepdim=*/true) * 0.5;
  auto scale = torch::ones({1}).to(device);
  std::printf("initial loss %.4f\n",
              torch::mse_loss(model->forward(inputs.to(device)), targets.to(device))
                  .item<double>());
  double total = 0;
  torch::Tensor history = torch::empty({0}, torch::TensorOptions().device(device));
  for (int step = 0; step < steps; ++step) {
    const int64_t offset = (step * 32) % 256;
    auto batch = inputs.narrow(0, offset, 32).to(device);
    auto target = targets.narrow(0, offset, 32).to(device);

    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(batch) * scale, target);
    loss.backward();
    optimizer.step();

    total += loss.item<double>();
    auto worst = (model->forward(batch) - target).abs().max().cpu();
    if (std::getenv("TRAIN_DEBUG"))
      std::cout << "worst error " << worst << "\noutput " << model->forward(batch) << "\n";
    if (step % 50 == 0)
      std::printf("step %d loss %.4f\n", step, loss.item<double>());
    // Every loss, kept for the summary, by growing one tensor.
    history = torch::cat({history, loss.detach().reshape({1})});
  }
  std::printf("mean loss %.4f\n", total / steps);
  std::printf("median loss %.4f\n", history.median().item<double>());
  return 0;
}
