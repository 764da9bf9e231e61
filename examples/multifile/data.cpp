// The data of the multi-file example. Everything here runs on the host, once
// per epoch at most.

#include "data.h"

#include <algorithm>

SyntheticPoints::SyntheticPoints(int64_t count, const torch::Tensor &directions)
    : points_(torch::randn({count, kFeatures})),
      labels_(points_.matmul(directions).argmax(1)) {}

Batch SyntheticPoints::select(const torch::Tensor &indices) const {
  return {points_.index_select(0, indices), labels_.index_select(0, indices)};
}

torch::Tensor make_directions() { return torch::randn({kFeatures, kClasses}); }

BatchLoader::BatchLoader(const SyntheticPoints &data, int64_t batch_size,
                         bool shuffle)
    : data_(data), batch_size_(batch_size), shuffle_(shuffle) {}

std::vector<Batch> BatchLoader::next_epoch() const {
  const int64_t count = data_.size();
  const torch::Tensor order =
      shuffle_ ? torch::randperm(count, torch::kLong) : torch::arange(count);
  std::vector<Batch> batches;
  for (int64_t begin = 0; begin < count; begin += batch_size_) {
    const int64_t length = std::min(batch_size_, count - begin);
    batches.push_back(data_.select(order.narrow(0, begin, length)));
  }
  return batches;
}
