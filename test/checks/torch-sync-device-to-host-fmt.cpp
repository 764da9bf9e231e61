// Formatting tensors with fmt, spdlog and std::format: the fmt and spdlog
// half of torch-sync-device-to-host (test/checks/torch-sync-device-to-host.cpp
// holds the rest). The fmt and spdlog headers are stand-ins (test/mock);
// test/real/torch-sync-device-to-host-fmt.cpp runs the same forms over the
// genuine ones.
//
// RUN: %check_trainlint %s torch-sync-device-to-host %t -- -std=c++20
//
// A value read with item() and then formatted is torch-sync-item's business:
// with both checks on, the one function that does it is reported once, by
// torch-sync-item.
// RUN: %check_trainlint %s torch-sync-device-to-host %t --check-prefix=CHECK-ITEM --checks=-*,torch-sync-device-to-host,torch-sync-item -- -std=c++20 -DITEM_ONLY

#include <torch/torch.h>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <spdlog/spdlog.h>

#if __has_include(<format>)
#include <format>
#else
// This standard library has no <format> (libstdc++ before 13).
#include <std/format.h>
#endif

#include <sstream>
#include <string>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

torch::Device pickDevice() {
  return torch::Device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
}

void trainItem(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  torch::Device device = pickDevice();
  for (int step = 0; step < 1000; ++step) {
    auto loss = model->forward(x.to(device)).sum();
    loss.backward();
    optimizer.step();
    // Silent here: fmt is given a float; reading it is torch-sync-item's
    // business, which reports it (CHECK-ITEM) and no other check does.
    fmt::print("loss {}\n", loss.item<float>());
    // CHECK-ITEM: :[[@LINE-1]]:34: warning: 'item()' reads a tensor's value on the host, which synchronizes with the device on every iteration of the training loop; keep the value on the device and read it every N steps [torch-sync-item]
    // CHECK-ITEM: :[[@LINE-8]]:3: note: training loop starts here
  }
}

#ifndef ITEM_ONLY

// A user's formatter that streams the tensor: fmt then copies the tensor to
// the host wherever one is formatted. The call site is reported; the
// formatter's own body is not (it runs wherever fmt formats a tensor).
template <> struct fmt::formatter<torch::Tensor> : fmt::ostream_formatter {};

// The same for std::format, written out by hand.
template <> struct std::formatter<torch::Tensor, char> {
  constexpr const char *parse(std::format_parse_context &ctx) {
    return ctx.begin();
  }
  auto format(const torch::Tensor &t, std::format_context &ctx) const {
    std::ostringstream os;
    os << t;
    return std::format_to(ctx.out(), "{}", os.str());
  }
};

// A formatter of the user's own, declared in fmt: its body formats the
// tensor it is given, but runs only where fmt formats one.
struct Metrics {
  torch::Tensor loss;
};
template <> struct fmt::formatter<Metrics> {
  const char *parse(fmt::format_parse_context &ctx) { return ctx.begin(); }
  fmt::appender format(const Metrics &m, fmt::format_context &ctx) const {
    return fmt::format_to(ctx.out(), "loss {}", m.loss);
  }
};

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
           torch::Tensor y, spdlog::logger &logger) {
  torch::Device device = pickDevice();
  auto initial = model->forward(x.to(device));
  // Before the loop: runs once.
  fmt::print("initial {}\n", initial);

  for (int step = 0; step < 1000; ++step) {
    optimizer.zero_grad();
    auto out = model->forward(x.to(device));
    auto loss = torch::mse_loss(out, y.to(device));
    loss.backward();
    optimizer.step();

    fmt::print("loss {}\n", loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host, which synchronizes with the device on every iteration of the training loop; log it every N steps [torch-sync-device-to-host]
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: training loop starts here
    auto text = fmt::format("{}", fmt::streamed(out));
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-12]]:3: note: training loop starts here
    fmt::println("step {} loss {}", step, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-15]]:3: note: training loop starts here
    std::string buffer;
    fmt::format_to(std::back_inserter(buffer), "{loss}", fmt::arg("loss", loss));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-19]]:3: note: training loop starts here
    spdlog::info("step {} loss {}", step, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-22]]:3: note: training loop starts here
    logger.warn("loss {}", loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-25]]:3: note: training loop starts here
    spdlog::default_logger()->log(spdlog::level::info, "{}", out);
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-28]]:3: note: training loop starts here
    auto line = std::format("loss {}", loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: formatting a tensor copies it to the host, which synchronizes with the device on every iteration of the training loop; log it every N steps [torch-sync-device-to-host]
    // CHECK-MESSAGES: :[[@LINE-31]]:3: note: training loop starts here
    std::print("loss {}\n", loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-34]]:3: note: training loop starts here

    // Silent: a copy made by cpu() is reported there; formatting the host
    // copy reads host memory.
    auto host = out.cpu();
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'cpu()' copies the tensor to the host
    // CHECK-MESSAGES: :[[@LINE-40]]:3: note: training loop starts here
    fmt::print("{}\n", host);
    spdlog::info("{}", fmt::streamed(host));
    // Silent: a tensor created on the host is formatted from host memory.
    fmt::print("{}\n", torch::zeros({2}));
    // Silent: no tensor is formatted, only numbers and text.
    spdlog::info("step {} of {}", step, 1000);
    fmt::print("{}\n", std::string("done"));
    // Silent: formatting a struct that holds a tensor goes through the
    // user's formatter, which is not followed (a documented limit).
    fmt::print("{}\n", Metrics{loss});

    // Silent: every 100 steps is already amortized.
    if (step % 100 == 0) {
      fmt::print("loss {}\n", loss);
      spdlog::info("loss {}", fmt::streamed(loss));
      auto rare = std::format("{}", loss);
    }
    // Silent: only on the first step.
    if (step == 0)
      logger.info("first loss {}", loss);
  }

  // After the loop: runs once.
  spdlog::info("final {}", initial);
}

// Called from the loop below: formatting here is on the hot path too.
void logLoss(const torch::Tensor &loss) {
  spdlog::debug("loss {}", loss);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: formatting a tensor copies it to the host, which synchronizes with the device on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+8]]:5: note: 'logLoss' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: training loop starts here
}
void trainWithHelper(Net &model, torch::optim::Adam &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(x.to(pickDevice())).sum();
    loss.backward();
    optimizer.step();
    logLoss(loss);
  }
}

// A loop that neither trains nor evaluates is not the hot path.
void summarize(const std::vector<torch::Tensor> &ts) {
  for (const auto &t : ts)
    fmt::print("{}\n", t);
}

// In a macro: reported at the macro's use.
#define LOG_TENSOR(t) spdlog::info("{}", (t))
void withMacro(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int i = 0; i < 3; ++i) {
    auto loss = model->forward(x.to(pickDevice())).sum();
    LOG_TENSOR(loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    loss.backward();
    optimizer.step();
  }
}

#endif // ITEM_ONLY
