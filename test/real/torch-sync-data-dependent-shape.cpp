// REQUIRES: libtorch
// RUN: %check_trainlint_real %s torch-sync-data-dependent-shape %t

// The genuine libtorch headers: the names the check matches must exist there,
// and a mask must be recognised through the real (free) comparison operators.

#include <torch/torch.h>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor labels) {
  torch::Device device(torch::kCUDA);
  model->to(device);
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto out = model->forward(x);
    auto mask = out > 0;
    auto idx = out.nonzero();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'nonzero()' has an output size that depends on tensor values, which synchronizes the host with the device on every iteration of the training loop; keep the shape static by using the mask itself: 'torch::where(mask, x, y)', 'masked_fill' or a multiplication by the mask [torch-sync-data-dependent-shape]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    auto idx2 = torch::nonzero(mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::nonzero()' has an output size
    auto picked = torch::masked_select(out, mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'at::masked_select()' has an output size
    auto coords = torch::where(mask);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'at::where()' with only a condition has an output size
    auto runs = torch::unique_consecutive(labels);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'at::unique_consecutive()' has an output size
    auto positives = out.index({out > 0});
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'index()' with a boolean mask turns a boolean mask into indices whose number depends on tensor values
    // CHECK-MESSAGES: :[[@LINE-2]]:33: note: this index is a boolean mask
    out.index_put_({labels.to(torch::kBool)}, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'index_put_()' with a boolean mask turns a boolean mask into indices
    // CHECK-MESSAGES: :[[@LINE-2]]:21: note: this index is a boolean mask

    // The three-argument where keeps the shape: silent.
    auto kept = torch::where(mask, out, torch::zeros_like(out));
    // An integer index tensor and a slice: silent.
    auto rows = out.index({out.argmax(), torch::indexing::Slice()});

    (kept.sum() + rows.sum()).backward();
    optimizer.step();
  }
}
