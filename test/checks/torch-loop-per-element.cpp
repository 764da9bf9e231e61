// RUN: %check_trainlint %s torch-loop-per-element %t

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace torch::indexing;

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

// Reductions, comparisons and counts written one element at a time.
float sumOf(const torch::Tensor &t) {
  float sum = 0;
  for (int64_t i = 0; i < t.size(0); ++i)
    sum += t[i].item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: indexing 't' with the loop counter 'i' runs a tensor operation and an 'item()' per element; reduce the whole tensor in one operation ('sum()', 'max()') [torch-loop-per-element]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
  return sum;
}

int64_t correctOf(const torch::Tensor &pred, const torch::Tensor &label) {
  int64_t correct = 0;
  for (int64_t i = 0; i < pred.size(0); ++i) {
    if (pred[i].item<int64_t>() == label[i].item<int64_t>())
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: indexing 'pred' with the loop counter 'i' runs a tensor operation and an 'item()' per element; compare the whole tensors in one operation ('eq()', 'gt()') and reduce the mask [torch-loop-per-element]
      // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
      // CHECK-MESSAGES: :[[@LINE-3]]:36: warning: indexing 'label' with the loop counter 'i' runs a tensor operation and an 'item()' per element; compare the whole tensors
      ++correct;
  }
  return correct;
}

std::vector<int64_t> histogram(const torch::Tensor &labels, int classes) {
  std::vector<int64_t> hist(classes);
  for (auto i : c10::irange(labels.size(0)))
    ++hist[labels[i].item<int64_t>()];
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: indexing 'labels' with the loop counter 'i' runs a tensor operation and an 'item()' per element; count in one operation with 'bincount()' or 'index_add_()' [torch-loop-per-element]
  return hist;
}

// Writes, also through nested loops over boxes and their coordinates: one
// finding for the tensor, on its first access.
void scale(torch::Tensor out, const torch::Tensor &t, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = t[i] * 2;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: indexing 'out' with the loop counter 'i' runs a tensor operation per element; write all the elements in one operation, through a mask ('masked_fill()') or an index tensor ('index_put_()') [torch-loop-per-element]
  // CHECK-MESSAGES: :[[@LINE-2]]:14: warning: indexing 't' with the loop counter 'i' runs a tensor operation per element; operate on the whole tensor at once: a reduction, a comparison, 'index_select()' or a mask [torch-loop-per-element]
}

void clipBoxes(torch::Tensor boxes, double limit) {
  for (int64_t b = 0; b < boxes.size(0); ++b) {
    for (int c = 0; c < 4; ++c) {
      if (boxes[b][c].item<double>() > limit)
        // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: indexing 'boxes' with the loop counters 'b' and 'c' runs a tensor operation and an 'item()' per element; compare the whole tensors in one operation
        // CHECK-MESSAGES: :[[@LINE-4]]:3: note: the loop over 'b' starts here
        // CHECK-MESSAGES: :[[@LINE-4]]:5: note: the loop over 'c' starts here
        boxes[b][c] = limit; // the same tensor in the same loops: reported once
    }
  }
}

void perClass(torch::Tensor scores, torch::Tensor mask, int64_t classes) {
  for (int64_t k = 0; k < classes; ++k) {
    auto row = scores.index({k, Slice()});
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: indexing 'scores' with the loop counter 'k' runs a tensor operation per element; operate on the whole tensor at once
    mask.index_put_({k}, row.gt(0.5));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: indexing 'mask' with the loop counter 'k' runs a tensor operation per element; write all the elements in one operation
    auto col = scores.select(1, k).sum();
    // Another access of 'scores' in the same loop: reported once, above.
  }
}

// An index gathered through a host array at the counter.
float gathered(const torch::Tensor &t, const std::vector<int64_t> &order) {
  float s = 0;
  for (size_t i = 0; i < order.size(); ++i)
    s += t[order[i]].item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: indexing 't' with the loop counter 'i' runs a tensor operation and an 'item()' per element; reduce the whole tensor
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
  return s;
}

// On the device, each 'item()' also waits for the device.
float deviceSum(int64_t n) {
  auto d = torch::rand({n}, torch::TensorOptions().device(torch::kCUDA));
  float total = 0;
  for (int64_t i = 0; i < n; ++i)
    total += d[i].item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: indexing 'd' with the loop counter 'i' runs a tensor operation and an 'item()' per element; reduce the whole tensor
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop over 'i' starts here
  // CHECK-MESSAGES: :[[@LINE-3]]:14: note: 'd' is on the device, so each 'item()' also synchronizes the host with the device
  return total;
}

// In the training loop, the notes name it.
void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    auto out = model->forward(x);
    double worst = 0;
    for (int64_t i = 0; i < out.size(0); ++i)
      worst = std::max(worst, out[i].item<double>());
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: indexing 'out' with the loop counter 'i' runs a tensor operation and an 'item()' per element, on every iteration of the training loop; operate on the whole tensor at once
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the loop over 'i' starts here
    // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'out' is on the device, so each 'item()' also synchronizes the host with the device
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: training loop starts here
    out.sum().backward();
    optimizer.step();
  }
}

// A dataset's get() runs once per sample; so does a draw in it.
struct Noisy : torch::data::datasets::Dataset<Noisy> {
  torch::Tensor images;
  torch::data::Example<> get(size_t index) override {
    double scale = torch::rand(1).item<double>();
    // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: 'item()' of a one-element random tensor draws one number through tensor operations for every sample the dataset returns; draw host numbers with <random>, or all of them in one batched call [torch-loop-per-element]
    return {images[index] * scale, images[index]};
  }
};

// Scalars drawn through one-element tensors, per iteration.
void augment(std::vector<float> &values) {
  for (size_t i = 0; i < values.size(); ++i) {
    double u = torch::rand(1)[0].item<double>();
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'item()' of a one-element random tensor draws one number through tensor operations on every iteration of the loop; draw host numbers with <random>, or all of them in one batched call [torch-loop-per-element]
    int64_t k = torch::randint(10, {1}).item<int64_t>();
    // CHECK-MESSAGES: :[[@LINE-1]]:41: warning: 'item()' of a one-element random tensor draws one number
    auto g = torch::randn({1, 1}, torch::TensorOptions().device(torch::kCUDA)).item().toFloat();
    // CHECK-MESSAGES: :[[@LINE-1]]:80: warning: 'item()' of a one-element random tensor draws one number
    // CHECK-MESSAGES: :[[@LINE-2]]:14: note: the tensor is created on the device, so each 'item()' also synchronizes the host with the device
    values[i] *= u + k + g;
  }
}

// One finding for all instantiations of a template.
template <typename T> T total(const torch::Tensor &t) {
  T sum = 0;
  for (int64_t i = 0; i < t.size(0); ++i)
    sum += t[i].item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: indexing 't' with the loop counter 'i' runs a tensor operation and an 'item()' per element; reduce
  return sum;
}
float totalFloat(const torch::Tensor &t) { return total<float>(t); }
double totalDouble(const torch::Tensor &t) { return total<double>(t); }

// The macro argument is reported where it is spelled.
#define TWICE(x) ((x) * 2)
void withMacro(torch::Tensor out, const torch::Tensor &t, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    out.index_put_({i}, TWICE(t[i]));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: indexing 'out' with the loop counter 'i' runs a tensor operation per element; write all the elements
  // CHECK-MESSAGES: :[[@LINE-2]]:31: warning: indexing 't' with the loop counter 'i' runs a tensor operation per element; operate on the whole tensor
}

// Negative cases: each must stay silent.
void silent(Net &model, const torch::Tensor &t, torch::Tensor boxes,
            const std::vector<torch::Tensor> &parts, int64_t label, int64_t n) {
  // An accessor or a raw pointer over a CPU tensor is the recommended idiom.
  auto a = t.accessor<float, 1>();
  float s = 0;
  for (int64_t i = 0; i < n; ++i)
    s += a[i];
  const float *p = t.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i)
    s += p[i];
  // Four coordinates: below the default trip count of 8.
  for (int c = 0; c < 4; ++c)
    s += boxes[0][c].item<float>();
  // The index is not a loop counter: one access per iteration of a
  // position the loop computes.
  for (int64_t i = 0; i < n; ++i)
    s += t[label].item<float>();
  // A choice made from the counter takes two values, not one per element.
  for (int64_t i = 0; i < n; ++i)
    s += t[i != 0 ? 1 : 0].item<float>();
  // A vector of tensors holds separate tensors: indexing it is no tensor
  // operation.
  for (size_t i = 0; i < parts.size(); ++i)
    s += parts[i].numel();
  // A slice of many elements in one operation.
  for (int64_t i = 0; i < n; ++i)
    s += t.index({Slice(i, None)}).numel();
  // The module called once per sample is torch-loop-per-sample-forward's.
  for (int64_t i = 0; i < t.size(0); ++i)
    model->forward(t[i]);
  // A draw outside any loop, and a tensor of several elements.
  double once = torch::rand(1).item<double>();
  auto many = torch::rand({16});
  // A draw in a short constant loop.
  for (int c = 0; c < 3; ++c)
    s += torch::rand(1).item<float>();
  // FIXME: a while loop's counter is not followed.
  int64_t j = 0;
  while (j < n) {
    s += t[j].item<float>();
    ++j;
  }
  std::printf("%f %f\n", s, once);
}
