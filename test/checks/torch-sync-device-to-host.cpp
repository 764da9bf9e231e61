// RUN: %check_trainlint %s torch-sync-device-to-host %t
//
// A program that never names an accelerator keeps every tensor on the CPU,
// where `cpu()` returns its object and printing reads host memory: no message
// (no CHECK-CPU-ONLY line expects one).
// RUN: %check_trainlint %s torch-sync-device-to-host %t --check-prefix=CHECK-CPU-ONLY -- -DCPU_ONLY

#include <torch/torch.h>

#include <cstdio>
#include <iostream>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

#ifndef CPU_ONLY
torch::Device pickDevice() {
  return torch::Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
}
#else
torch::Device pickDevice() { return torch::Device(torch::kCPU); }
#endif

// A member copied to the host in a method the loop calls.
struct Recorder {
  torch::Tensor last_;
  torch::Tensor host_;
  void record(const torch::Tensor &t) {
    last_ = t;
    host_ = this->last_.cpu();
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'cpu()' copies the tensor to the host, which synchronizes with the device on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE+89]]:5: note: 'record' is called here, on the training loop path
    // CHECK-MESSAGES: :[[@LINE+11]]:3: note: training loop starts here
  }
};

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Tensor y) {
  torch::Device device = pickDevice();
  Recorder recorder;
  // Before the loop: runs once.
  auto initial = model->forward(x).cpu();

  for (int step = 0; step < 1000; ++step) {
    optimizer.zero_grad();
    auto out = model->forward(x.to(device));
    auto loss = torch::mse_loss(out, y.to(device));
    loss.backward();
    optimizer.step();

    auto a = out.cpu();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'cpu()' copies the tensor to the host, which synchronizes with the device on every iteration of the training loop; keep the tensor on the device, or copy it every N steps [torch-sync-device-to-host]
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: training loop starts here

    // Every spelling of the CPU device.
    auto b = out.to(torch::kCPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host, which synchronizes with the device on every iteration of the training loop; keep the tensor on the device, or copy it every N steps [torch-sync-device-to-host]
    auto c = out.to(at::kCPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto d = out.to(c10::kCPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto e = out.to(c10::DeviceType::CPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto f = out.to(torch::Device(torch::kCPU));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto g = out.to(torch::Device("cpu"));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto h = out.to(torch::TensorOptions().device(torch::kCPU));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto i = out.to(torch::TensorOptions(torch::kCPU));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto j = out.to(torch::device(torch::kCPU).dtype(torch::kFloat));
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto k = out.to(torch::kCPU, torch::kFloat);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    auto l = out.to(torch::kCPU, /*non_blocking=*/false);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    const torch::Device host(torch::kCPU);
    auto m = out.to(host);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host
    torch::Device cpu("cpu");
    auto n = out.to(cpu);
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'to()' copies the tensor to the host

    // Printing a tensor copies it to the host.
    std::cout << loss;
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: printing a tensor copies it to the host, which synchronizes with the device on every iteration of the training loop; print it every N steps [torch-sync-device-to-host]
    std::cout << "loss " << loss << "\n";
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: printing a tensor copies it
    torch::print(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: printing a tensor copies it
    at::print(std::cout, loss, 80);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: printing a tensor copies it
    // The copy is reported at 'cpu()'; printing the host copy is free.
    std::cout << out.cpu() << "\n";
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'cpu()' copies the tensor to the host

    // Other ways to move to the host: to another host tensor, to its
    // device, options or type, to the CPU backend, and with dtype, layout
    // and device apart.
    auto toHostTensor = out.to(a);
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'to()' copies the tensor to the host
    auto toHostDevice = out.to(a.device());
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'to()' copies the tensor to the host
    auto toHostOptions = out.to(a.options().dtype(torch::kHalf));
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'to()' copies the tensor to the host
    auto toHostType = out.to(a.type());
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'to()' copies the tensor to the host
    auto toCpuType = out.to(out.type().cpu());
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'to()' copies the tensor to the host
    auto backend = out.toBackend(at::Backend::CPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'toBackend()' copies the tensor to the host, which synchronizes with the device on every iteration of the training loop; keep the tensor on the device, or copy it every N steps
    auto unpacked = out.to(torch::kHalf, c10::nullopt, torch::Device(torch::kCPU),
                           c10::nullopt, /*non_blocking=*/false, false, c10::nullopt);
    // CHECK-MESSAGES: :[[@LINE-2]]:25: warning: 'to()' copies the tensor to the host
    // Temporaries and members.
    auto predicted = model->forward(x).argmax(1).cpu();
    // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: 'cpu()' copies the tensor to the host
    auto zerosLike = torch::zeros_like(out).cpu();
    // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'cpu()' copies the tensor to the host
    recorder.record(out);

    // Silent: 'a' is a host copy already (reported where it is made), and a
    // tensor created on the host is printed from host memory.
    std::cout << a << "\n";
    auto a2 = a.cpu();
    std::cout << torch::zeros({2}) << "\n";

    // Silent: to(dtype) converts on the tensor's own device, also with
    // non_blocking or through toType().
    auto o = out.to(torch::kFloat);
    auto o2 = out.to(torch::kHalf, /*non_blocking=*/false);
    auto o3 = out.toType(torch::kHalf);
    // Silent: to a tensor on the device, or to the device's backend.
    auto o4 = out.to(out);
    auto o5 = out.toBackend(at::Backend::CUDA);
    // Silent: the type's cpu() is a type, not a tensor.
    auto &cpuType = out.type().cpu();
    // Silent: created where 'a' is, on the host: nothing to copy.
    auto o6 = torch::zeros_like(a).cpu();
    auto o7 = a.new_zeros({2}).cpu();
    std::cout << torch::ones_like(a) << "\n";
    // Silent: to(other) follows another tensor, which may be on the device.
    auto p = out.to(y);
    // Silent: options without a device only change the dtype.
    auto q = out.to(torch::TensorOptions().dtype(torch::kHalf));
    // Silent: a device chosen at run time is not provably the host.
    auto r = out.to(device);
    auto s = out.to(pickDevice());
    // Silent: a non-blocking copy into pinned memory does not wait; the
    // program synchronizes where it reads the values.
    auto t = out.to(torch::kCPU, /*non_blocking=*/true);
    bool overlap = step > 10;
    auto u = out.to(torch::kCPU, /*non_blocking=*/overlap);
    // Silent: reading a value is torch-sync-item's business; this prints a
    // float.
    std::cout << loss.item<float>() << "\n";
    // Silent: a device variable that is reassigned may point anywhere.
    torch::Device moving(torch::kCPU);
    moving = pickDevice();
    auto v = out.to(moving);

    // Logging every 100 steps: already amortized, stays silent.
    if (step % 100 == 0) {
      std::cout << loss << "\n";
      auto w = out.cpu();
    }
    // Only on the first step: silent.
    if (step == 0)
      torch::print(out);
  }

  // After the loop: runs once.
  std::cout << initial << "\n";
}

void logPrediction(const torch::Tensor &pred) {
  auto host = pred.cpu();
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'cpu()' copies the tensor to the host, which synchronizes with the device on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+15]]:5: note: 'logPrediction' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+10]]:3: note: training loop starts here
}

void logRarely(int step, const torch::Tensor &loss) {
  // The caller's step counter reaches here as a parameter: still gated.
  if (step % 50 == 0)
    std::cout << loss << "\n";
}

void trainWithHelpers(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    logPrediction(loss);
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
    std::cout << "epoch " << epoch << " loss " << last << "\n";
  }
}

// A data loader loop with no backward is an evaluation loop; the template is
// reported in its instantiation.
template <typename Loader> void evaluate(Net &model, Loader &loader) {
  torch::NoGradGuard noGrad;
  for (auto &batch : loader) {
    auto pred = model->forward(batch.data).argmax(1).to(torch::kCPU);
    // CHECK-MESSAGES: :[[@LINE-1]]:54: warning: 'to()' copies the tensor to the host, which synchronizes with the device on every iteration of the evaluation loop
    (void)pred;
  }
}

void runEvaluation(Net &model) {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  evaluate(model, *loader);
}

// A loop that neither trains nor evaluates is not the hot path.
void summarize(const std::vector<torch::Tensor> &ts) {
  for (const auto &t : ts)
    std::cout << t.cpu() << "\n";
}

// The macro argument is reported at its spelling; a copy hidden in a macro
// body is reported at the macro's use.
#define TO_HOST(t) (t).cpu()
#define LOG(x) std::cout << (x) << "\n"
void withMacro(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int i = 0; i < 3; ++i) {
    auto loss = model->forward(x).sum();
    auto host = TO_HOST(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'cpu()' copies the tensor to the host
    LOG(loss.cpu());
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'cpu()' copies the tensor to the host
    loss.backward();
    optimizer.step();
  }
}
