// REQUIRES: libtorch, fmt-headers, spdlog-headers
// RUN: %check_trainlint_real %s torch-sync-device-to-host %t

// The genuine fmt (9) and spdlog (1.10, with the external fmt) headers: each
// way of formatting a tensor that the check matches must exist there and
// resolve as it expects (fmt's inline namespace, fmt::streamed's view,
// spdlog's logger methods), and fmt's own bodies must stay silent.

#include <torch/torch.h>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <spdlog/spdlog.h>

#include <iterator>
#include <string>

// fmt 9 formats a type with operator<< only when told to.
template <> struct fmt::formatter<torch::Tensor> : fmt::ostream_formatter {};

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  torch::Device device(torch::kCUDA, 0);
  auto logger = spdlog::default_logger();
  for (int step = 0; step < 100; ++step) {
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
    std::string buffer;
    fmt::format_to(std::back_inserter(buffer), "{loss}", fmt::arg("loss", loss));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-16]]:3: note: training loop starts here
    spdlog::info("step {} loss {}", step, loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-19]]:3: note: training loop starts here
    logger->warn("loss {}", fmt::streamed(loss));
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-22]]:3: note: training loop starts here
    SPDLOG_INFO("loss {}", loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: formatting a tensor copies it to the host
    // CHECK-MESSAGES: :[[@LINE-25]]:3: note: training loop starts here

    // Silent: a value read with item() is torch-sync-item's business.
    fmt::print("loss {}\n", loss.item<float>());
    spdlog::info("loss {}", loss.item<double>());
    // Silent: numbers only.
    spdlog::info("step {}", step);
    // Silent: every 10 steps.
    if (step % 10 == 0)
      fmt::print("loss {}\n", loss);
  }
}
