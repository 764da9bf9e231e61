// One training step and one evaluation pass of the multi-file example.

#ifndef TRAINLINT_EXAMPLES_MULTIFILE_TRAIN_STEP_H
#define TRAINLINT_EXAMPLES_MULTIFILE_TRAIN_STEP_H

#include "data.h"
#include "log.h"
#include "model.h"

#include <torch/torch.h>

#include <vector>

/// Trains `model` on one batch; returns the batch's loss.
double train_step(Mlp &model, torch::optim::Optimizer &optimizer,
                  const Batch &batch, const torch::Device &device,
                  TrainingLog &log);

/// The accuracy of `model` on `batches`, overall and per class.
EvalResult evaluate(Mlp &model, const std::vector<Batch> &batches,
                    const torch::Device &device);

#endif // TRAINLINT_EXAMPLES_MULTIFILE_TRAIN_STEP_H
