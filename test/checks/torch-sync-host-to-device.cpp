// RUN: %check_trainlint %s torch-sync-host-to-device %t
//
// A program that names no device but the CPU keeps every tensor there, where
// `to(device)` copies nothing. Its helpers take a device from callers that
// may be in other files and may pass an accelerator, so the program says
// that it runs on the CPU only: no message.
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-host-to-device' --config='{CheckOptions: {trainlint.AssumeAccelerator: never}}' %s -- -I%mock/torch -I%mock -std=c++17 -DCPU_ONLY 2>&1 | %FileCheck %s --check-prefix=CHECK-CPU-ONLY --allow-empty
// CHECK-CPU-ONLY-NOT: {{warning|error}}:

#include <torch/torch.h>

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

#ifndef CPU_ONLY
// A member moved in a method the loop calls.
struct Stage {
  torch::Tensor staged_;
  torch::Tensor upload() {
    return this->staged_.cuda();
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'cuda()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-2]]:12: note: 'cuda()' has no 'non_blocking' parameter
    // CHECK-MESSAGES: :[[@LINE+121]]:19: note: 'upload' is called here, on the training loop path
    // CHECK-MESSAGES: :[[@LINE+12]]:3: note: training loop starts here
  }
};
#endif

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor y) {
  torch::Device device = pickDevice();
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  // Before the loop: runs once.
  auto labels = y.to(device);

  int step = 0;
  for (auto &batch : *loader) {
    auto data = batch.data.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'to()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop; copy from pinned memory with 'non_blocking=true' [torch-sync-host-to-device]
    // CHECK-MESSAGES: :[[@LINE-2]]:17: note: pin the host tensor with 'pin_memory()' (or allocate it with 'TensorOptions().pinned_memory(true)'), then pass 'non_blocking=true' so the copy overlaps compute
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    auto target = batch.target.to(device, torch::kLong);
    // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'to()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:19: note: pin the host tensor
    auto viaOptions = batch.data.to(torch::TensorOptions().device(device));
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'to()' copies a host tensor to the device
    auto blocking = batch.data.to(device, /*non_blocking=*/false);
    // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'to()' copies a host tensor to the device
#ifndef CPU_ONLY
    auto named = batch.data.to(torch::kCUDA);
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'to()' copies a host tensor to the device
    auto cuda = batch.data.cuda();
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'cuda()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop; copy from pinned memory with 'non_blocking=true'
    // CHECK-MESSAGES: :[[@LINE-2]]:17: note: 'cuda()' has no 'non_blocking' parameter: pin the host tensor with 'pin_memory()', then call 'to(device, /*non_blocking=*/true)' so the copy overlaps compute
    // The move to the device is reported once, at 'cuda()'.
    auto twice = batch.data.cuda().to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'cuda()' copies a host tensor
#endif

    // Pinned and named nowhere else: the fix-it makes the copy asynchronous.
    auto pinned = batch.data.pin_memory().to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto pinned = batch.data.pin_memory().to(device, /*non_blocking=*/true);{{$}}
    auto pinnedHalf = batch.data.pin_memory().to(device, torch::kHalf);
    // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto pinnedHalf = batch.data.pin_memory().to(device, torch::kHalf, /*non_blocking=*/true);{{$}}
    auto staged = batch.target.pin_memory();
    auto fromStaged = staged.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto fromStaged = staged.to(device, /*non_blocking=*/true);{{$}}
    auto buffer = torch::empty({64}, torch::TensorOptions().pinned_memory(true));
    auto fromBuffer = buffer.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto fromBuffer = buffer.to(device, /*non_blocking=*/true);{{$}}

    // Pinned, but no fix-it: the suggestion is a note.
    // non_blocking is written as false: the author may rely on it.
    auto pinnedFalse = batch.data.pin_memory().to(device, /*non_blocking=*/false);
    // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: 'to()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:24: note: the tensor is in pinned memory: pass 'non_blocking=true' so the copy overlaps compute{{$}}
    // CHECK-FIXES: {{^}}    auto pinnedFalse = batch.data.pin_memory().to(device, /*non_blocking=*/false);{{$}}
    // The buffer is named elsewhere too: the host may write it while an
    // asynchronous copy still reads it.
    auto shared = torch::empty({64}, torch::TensorOptions().pinned_memory(true));
    shared.fill_(step);
    auto fromShared = shared.to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'to()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:23: note: the tensor is in pinned memory: pass 'non_blocking=true' so the copy overlaps compute, once nothing writes the tensor while the copy is in flight
    // CHECK-FIXES: {{^}}    auto fromShared = shared.to(device);{{$}}
    // Silent: non_blocking=true is already asynchronous.
    auto async = batch.data.pin_memory().to(device, /*non_blocking=*/true);
    // Silent: a non_blocking decided at run time is the author's choice.
    bool pin = step > 0;
    auto chosen = batch.data.to(device, /*non_blocking=*/pin);
    // Silent: the result of a forward pass is on the device already.
    auto out = model->forward(data);
    auto again = out.to(device);
    auto moduleCall = model(data).to(device);
    // Silent: moved to the device before, in a variable never modified.
    auto twiceMoved = data.to(device);
    auto detached = out.detach().to(device);
    // Only the first move crosses from the host.
    auto chained = batch.data.to(device).to(device, torch::kHalf);
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'to()' copies a host tensor to the device
    // Silent: to the host is torch-sync-device-to-host's business.
    auto host = batch.data.to(torch::kCPU);
    // Silent: to(dtype) does not move from the host.
    auto floats = batch.data.to(torch::kFloat);
    // Silent: options without a device only change the dtype.
    auto halves = batch.data.to(torch::TensorOptions().dtype(torch::kHalf));
    // Silent: the meta device holds no data.
    auto meta = batch.data.to(c10::kMeta);
    // Silent: torch-sync-create-then-move reports a factory moved at once.
    auto noise = torch::zeros({64}).to(device);

    // to(other) goes wherever the other tensor is: here the device.
    auto like = batch.data.to(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'to()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:17: note: pin the host tensor with 'pin_memory()'
    // Another tensor's device, options or type: where that tensor is.
    auto onDevice = batch.data.to(out.device());
    // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'to()' copies a host tensor to the device
    auto onOptions = batch.data.to(out.options());
    // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'to()' copies a host tensor to the device
    auto onType = batch.data.to(out.type());
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'to()' copies a host tensor to the device
    // A tensor of unknown place, like a device chosen at run time, counts
    // as the device.
    auto likeY = batch.data.to(y);
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'to()' copies a host tensor to the device
    // Options that name the device along with a dtype.
    auto halfOptions =
        batch.data.to(torch::TensorOptions().dtype(torch::kHalf).device(device));
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'to()' copies a host tensor to the device
    auto pinnedLike = batch.data.pin_memory().to(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'to()' copies a host tensor to the device
    // CHECK-FIXES: {{^}}    auto pinnedLike = batch.data.pin_memory().to(out, /*non_blocking=*/true);{{$}}
#ifndef CPU_ONLY
    auto halfCuda = batch.data.to(torch::kCUDA, torch::kHalf);
    // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'to()' copies a host tensor to the device
    auto backend = batch.data.toBackend(at::Backend::CUDA);
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'toBackend()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop; copy from pinned memory with 'non_blocking=true'
    // CHECK-MESSAGES: :[[@LINE-2]]:20: note: 'toBackend()' has no 'non_blocking' parameter: pin the host tensor with 'pin_memory()', then call 'to(device, /*non_blocking=*/true)' so the copy overlaps compute
    Stage stage;
    auto member = stage.upload();
    // Silent: the type's cuda() is a type, not a tensor.
    auto &cudaType = batch.data.type().cuda();
    // Silent: a temporary on the device already.
    auto forwarded = model->forward(data).cuda();
#endif
    // Silent: a dtype conversion, also with non_blocking or through
    // toType(), copies nothing between devices.
    auto halves2 = batch.data.to(torch::kHalf, /*non_blocking=*/false);
    auto halves3 = batch.data.toType(torch::kHalf);
    // Silent: to another tensor on the host stays on the host.
    auto stay = batch.data.to(host);
    // Silent: created where 'out' is, on the device, already.
    auto zeros = torch::zeros_like(out).to(device);
    auto fresh = out.new_zeros({4}).to(device);
    // Silent: created where 'batch.data' is, which may be the device: then
    // the move copies nothing.
    auto zerosLike = torch::zeros_like(batch.data).to(device);
    auto newZeros = batch.data.new_zeros({4}).to(device);
    // Silent: created on the host by a factory and moved at once:
    // torch-sync-create-then-move reports it.
    auto hostLike = torch::ones_like(host).to(device);

    auto loss = torch::nll_loss(model->forward(data), target);
    loss.backward();
    optimizer.step();

    // Every 100 steps: already amortized.
    if (step % 100 == 0) {
      auto sample = batch.data.to(device);
    }
    ++step;
  }
}

torch::Tensor upload(const torch::Tensor &host, torch::Device device) {
  return host.to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'to()' copies a host tensor to the device and blocks the host until the copy is done, on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+17]]:32: note: 'upload' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+15]]:3: note: training loop starts here
}

// A template is reported in its instantiation, without a fix-it: one rewrite
// would have to suit every instantiation.
template <typename Batch> torch::Tensor uploadPinned(const Batch &batch, torch::Device device) {
  return batch.data.pin_memory().to(device);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'to()' copies a host tensor to the device
  // CHECK-MESSAGES: :[[@LINE-2]]:10: note: the tensor is in pinned memory: pass 'non_blocking=true' so the copy overlaps compute{{$}}
  // CHECK-FIXES: {{^}}  return batch.data.pin_memory().to(device);{{$}}
}

void trainWithHelpers(Net &model, torch::optim::Adam &optimizer, torch::Tensor x,
                      torch::Device device) {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  for (auto &batch : *loader) {
    auto loss = model->forward(upload(batch.data, device)).sum();
    auto pinnedInput = uploadPinned(batch, device);
    loss.backward();
    optimizer.step();
  }
}

// A loop that neither trains nor evaluates is not the hot path.
std::vector<torch::Tensor> uploadAll(const std::vector<torch::Tensor> &ts,
                                     torch::Device device) {
  std::vector<torch::Tensor> out;
  for (const auto &t : ts)
    out.push_back(t.to(device));
  return out;
}

// A macro: reported, but the fix-it would edit the macro's text.
#define PINNED(t) (t).pin_memory()
void withMacro(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
               torch::Device device) {
  for (int i = 0; i < 3; ++i) {
    auto input = PINNED(x).to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'to()' copies a host tensor to the device
    // CHECK-MESSAGES: :[[@LINE-2]]:18: note: the tensor is in pinned memory: pass 'non_blocking=true' so the copy overlaps compute{{$}}
    // CHECK-FIXES: {{^}}    auto input = PINNED(x).to(device);{{$}}
    auto loss = model->forward(input).sum();
    loss.backward();
    optimizer.step();
  }
}
