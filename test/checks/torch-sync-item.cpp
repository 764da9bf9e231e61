// RUN: %check_trainlint %s torch-sync-item %t

#include <torch/torch.h>

#include <cstdio>
#include <iostream>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

torch::Device pickDevice() {
  return torch::Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
}

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Tensor y) {
  // Before the loop: runs once.
  float initial = model->forward(x).sum().item<float>();

  double running = 0;
  for (int step = 0; step < 1000; ++step) {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
    running += loss.item<float>();
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: training loop starts here
    double scalar = loss.item().toDouble();
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'item()' reads
    if (loss.is_nonzero())
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'is_nonzero()' reads
      running = 0;
    if (torch::equal(x, y))
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'at::equal()' reads
      running = 1;
    auto row = x[loss.argmax()];
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: indexing with a tensor reads

    // Logging every 100 steps: already amortized, stays silent.
    if (step % 100 == 0)
      std::printf("loss %f\n", loss.item<float>());
    // Only on the first step: silent.
    if (step == 0)
      std::printf("first loss %f\n", loss.item<float>());
    // Integer indexing reads no tensor: silent.
    auto first = x[0];
  }

  // After the loop: runs once.
  std::cout << running + initial << "\n";
}

constexpr int kLogEvery = 100;

// Conditions on the step counter as C++ parses them: a rare one gates the
// read, a frequent one does not.
void trainWithGates(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
                    int evalEvery) {
  for (int step = 0; step < 1000; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();

    // `!step % kLogEvery` is `(!step) % kLogEvery`: nonzero on the first step
    // only. Silent.
    if (!step % kLogEvery)
      std::printf("first %f\n", loss.item<float>());
    // Not "not every 100th step": every 100th step. Silent.
    if (!(step % kLogEvery != 0))
      std::printf("%f\n", loss.item<float>());
    // The last step of each interval: silent.
    if (step % kLogEvery == kLogEvery - 1)
      std::printf("%f\n", loss.item<float>());
    if ((step + 1) % evalEvery == 0)
      std::printf("%f\n", loss.item<float>());
    // Every N steps but the first: silent.
    if (step % evalEvery == 0 && step > 0)
      std::printf("%f\n", loss.item<float>());
    if (step > 0 && step % evalEvery == 0)
      std::printf("%f\n", loss.item<float>());
    // The else-branch of a frequent condition runs every 100th step: silent.
    if (step % kLogEvery != 0) {
      std::printf(".");
    } else {
      std::printf("%f\n", loss.item<float>());
    }
    // The else-branch of a rare condition runs on most steps.
    if (step % kLogEvery == 0) {
      std::printf("\n");
    } else {
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop
    }
    // A flag that holds a rare condition and is never written: silent.
    const bool logNow = (step + 1) % kLogEvery == 0;
    if (logNow)
      std::printf("%f\n", loss.item<float>());
    bool eval = step % evalEvery == 0;
    if (eval)
      std::printf("%f\n", loss.item<float>());

    // All but every 100th step.
    if (step % kLogEvery != 0)
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    if (!(step % kLogEvery == 0))
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    if (step % kLogEvery)
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // All but the first step.
    if (!step % kLogEvery == 0)
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // Every step after the first ten.
    if (step > 10)
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // The negation of a flag that holds a rare condition.
    if (!eval)
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // A flag written after its initialization may hold anything.
    bool verbose = step % kLogEvery == 0;
    if (evalEvery < 0)
      verbose = true;
    if (verbose)
      std::printf("%f\n", loss.item<float>());
      // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
  }
}

void logLoss(const torch::Tensor &loss) {
  std::printf("%f\n", loss.item<float>());
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+15]]:5: note: 'logLoss' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+10]]:3: note: training loop starts here
}

void logRarely(int step, const torch::Tensor &loss) {
  // The caller's step counter reaches here as a parameter: still gated.
  if (step % 50 == 0)
    std::printf("%f\n", loss.item<float>());
}

void trainWithHelpers(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    logLoss(loss);
    logRarely(step, loss);
  }
}

// Epoch loop around a step loop: code between the two runs once per epoch.
void epochs(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    torch::Tensor last;
    for (int step = 0; step < 100; ++step) {
      last = model->forward(x).sum();
      last.backward();
      optimizer.step();
    }
    std::printf("epoch %d loss %f\n", epoch, last.item<float>());
  }
}

// A data loader loop with no backward is an evaluation loop.
template <typename Loader> double evaluate(Net &model, Loader &loader) {
  torch::NoGradGuard noGrad;
  int64_t correct = 0;
  for (auto &batch : loader) {
    auto pred = model->forward(batch.data).argmax(1);
    correct += pred.eq(batch.target).sum().template item<int64_t>();
    // CHECK-MESSAGES: :[[@LINE-1]]:53: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the evaluation loop
  }
  return correct;
}

void runEvaluation(Net &model) {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  evaluate(model, *loader);
}

// A loop that neither trains nor evaluates is not the hot path.
void summarize(const std::vector<torch::Tensor> &ts) {
  double total = 0;
  for (const auto &t : ts)
    total += t.item<double>();
  std::printf("%f\n", total);
}

// The macro argument is reported at its spelling.
#define CHECK_FINITE(x) (void)(x)
void withMacro(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int i = 0; i < 3; ++i) {
    auto loss = model->forward(x).sum();
    CHECK_FINITE(loss.item<float>());
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'item()' reads
    loss.backward();
    optimizer.step();
  }
}
