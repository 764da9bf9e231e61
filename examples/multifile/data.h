// The data of the multi-file example: synthetic points of a few classes, and
// the program's own batching (no torch::data loader).

#ifndef TRAINLINT_EXAMPLES_MULTIFILE_DATA_H
#define TRAINLINT_EXAMPLES_MULTIFILE_DATA_H

#include <torch/torch.h>

#include <vector>

constexpr int64_t kFeatures = 8;
constexpr int64_t kClasses = 3;

/// Points and their labels, on the host.
struct Batch {
  torch::Tensor inputs; // [n, kFeatures], float
  torch::Tensor labels; // [n], int64
};

/// Random points; a point's class is the one of `directions` it points to
/// most.
class SyntheticPoints {
public:
  SyntheticPoints(int64_t count, const torch::Tensor &directions);
  int64_t size() const { return points_.size(0); }
  /// The points at `indices`.
  Batch select(const torch::Tensor &indices) const;

private:
  torch::Tensor points_;
  torch::Tensor labels_;
};

/// The class directions of a task: one column per class.
torch::Tensor make_directions();

/// Cuts a data set into batches, in a new random order on every epoch when
/// asked to.
class BatchLoader {
public:
  BatchLoader(const SyntheticPoints &data, int64_t batch_size, bool shuffle);
  /// The batches of one pass over the data.
  std::vector<Batch> next_epoch() const;

private:
  const SyntheticPoints &data_;
  int64_t batch_size_;
  bool shuffle_;
};

#endif // TRAINLINT_EXAMPLES_MULTIFILE_DATA_H
