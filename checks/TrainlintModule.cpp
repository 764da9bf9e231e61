//===--- TrainlintModule.cpp - the torch-* and cuda-* checks ---------------===//
//
// Registers every trainlint check with clang-tidy. Each registration has a row
// in CheckList.def (level, family, fix-its, summary); scripts/add_check.py
// keeps both sorted.
//
//===----------------------------------------------------------------------===//

#include "compat.h"
// clang-format off
// BEGIN CHECK INCLUDES
#include "cuda/AllocInLoopCheck.h"
#include "cuda/MemcpyAsyncPageableCheck.h"
#include "cuda/MemcpyInLoopCheck.h"
#include "cuda/SyncInLoopCheck.h"
#include "torch/DataBatchSizeOneCheck.h"
#include "torch/DataIoInLoopCheck.h"
#include "torch/DataNoPinMemoryCheck.h"
#include "torch/DataNoWorkersCheck.h"
#include "torch/DataTransformInLoopCheck.h"
#include "torch/DataUnbatchedCheck.h"
#include "torch/LoopAccessorInLoopCheck.h"
#include "torch/LoopCatAccumulateCheck.h"
#include "torch/LoopInvariantForwardCheck.h"
#include "torch/LoopInvariantTensorCheck.h"
#include "torch/LoopPerElementCheck.h"
#include "torch/LoopPerSampleForwardCheck.h"
#include "torch/LoopRebuiltStateCheck.h"
#include "torch/OptimConvBiasBeforeBatchnormCheck.h"
#include "torch/OptimCpuOnlyCheck.h"
#include "torch/OptimCudnnBenchmarkCheck.h"
#include "torch/OptimDebugModeCheck.h"
#include "torch/OptimEvalWithoutNoGradCheck.h"
#include "torch/OptimMissingZeroGradCheck.h"
#include "torch/OptimNoGradClippingCheck.h"
#include "torch/OptimNoLrSchedulerCheck.h"
#include "torch/OptimNoMixedPrecisionCheck.h"
#include "torch/OptimSgdWithoutMomentumCheck.h"
#include "torch/OptimTrainEvalModeCheck.h"
#include "torch/OptimZeroGradNotNoneCheck.h"
#include "torch/SyncCreateThenMoveCheck.h"
#include "torch/SyncDataDependentShapeCheck.h"
#include "torch/SyncDeviceToHostCheck.h"
#include "torch/SyncExplicitCheck.h"
#include "torch/SyncHostToDeviceCheck.h"
#include "torch/SyncItemCheck.h"
// END CHECK INCLUDES
// clang-format on

namespace trainlint {

class TrainlintModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &CheckFactories) override {
    // clang-format off
    // BEGIN CHECK REGISTRATIONS
    CheckFactories.registerCheck<cuda::AllocInLoopCheck>("cuda-alloc-in-loop");
    CheckFactories.registerCheck<cuda::MemcpyAsyncPageableCheck>("cuda-memcpy-async-pageable");
    CheckFactories.registerCheck<cuda::MemcpyInLoopCheck>("cuda-memcpy-in-loop");
    CheckFactories.registerCheck<cuda::SyncInLoopCheck>("cuda-sync-in-loop");
    CheckFactories.registerCheck<torch::DataBatchSizeOneCheck>("torch-data-batch-size-one");
    CheckFactories.registerCheck<torch::DataIoInLoopCheck>("torch-data-io-in-loop");
    CheckFactories.registerCheck<torch::DataNoPinMemoryCheck>("torch-data-no-pin-memory");
    CheckFactories.registerCheck<torch::DataNoWorkersCheck>("torch-data-no-workers");
    CheckFactories.registerCheck<torch::DataTransformInLoopCheck>("torch-data-transform-in-loop");
    CheckFactories.registerCheck<torch::DataUnbatchedCheck>("torch-data-unbatched");
    CheckFactories.registerCheck<torch::LoopAccessorInLoopCheck>("torch-loop-accessor-in-loop");
    CheckFactories.registerCheck<torch::LoopCatAccumulateCheck>("torch-loop-cat-accumulate");
    CheckFactories.registerCheck<torch::LoopInvariantForwardCheck>("torch-loop-invariant-forward");
    CheckFactories.registerCheck<torch::LoopInvariantTensorCheck>("torch-loop-invariant-tensor");
    CheckFactories.registerCheck<torch::LoopPerElementCheck>("torch-loop-per-element");
    CheckFactories.registerCheck<torch::LoopPerSampleForwardCheck>("torch-loop-per-sample-forward");
    CheckFactories.registerCheck<torch::LoopRebuiltStateCheck>("torch-loop-rebuilt-state");
    CheckFactories.registerCheck<torch::OptimConvBiasBeforeBatchnormCheck>("torch-optim-conv-bias-before-batchnorm");
    CheckFactories.registerCheck<torch::OptimCpuOnlyCheck>("torch-optim-cpu-only");
    CheckFactories.registerCheck<torch::OptimCudnnBenchmarkCheck>("torch-optim-cudnn-benchmark");
    CheckFactories.registerCheck<torch::OptimDebugModeCheck>("torch-optim-debug-mode");
    CheckFactories.registerCheck<torch::OptimEvalWithoutNoGradCheck>("torch-optim-eval-without-no-grad");
    CheckFactories.registerCheck<torch::OptimMissingZeroGradCheck>("torch-optim-missing-zero-grad");
    CheckFactories.registerCheck<torch::OptimNoGradClippingCheck>("torch-optim-no-grad-clipping");
    CheckFactories.registerCheck<torch::OptimNoLrSchedulerCheck>("torch-optim-no-lr-scheduler");
    CheckFactories.registerCheck<torch::OptimNoMixedPrecisionCheck>("torch-optim-no-mixed-precision");
    CheckFactories.registerCheck<torch::OptimSgdWithoutMomentumCheck>("torch-optim-sgd-without-momentum");
    CheckFactories.registerCheck<torch::OptimTrainEvalModeCheck>("torch-optim-train-eval-mode");
    CheckFactories.registerCheck<torch::OptimZeroGradNotNoneCheck>("torch-optim-zero-grad-not-none");
    CheckFactories.registerCheck<torch::SyncCreateThenMoveCheck>("torch-sync-create-then-move");
    CheckFactories.registerCheck<torch::SyncDataDependentShapeCheck>("torch-sync-data-dependent-shape");
    CheckFactories.registerCheck<torch::SyncDeviceToHostCheck>("torch-sync-device-to-host");
    CheckFactories.registerCheck<torch::SyncExplicitCheck>("torch-sync-explicit");
    CheckFactories.registerCheck<torch::SyncHostToDeviceCheck>("torch-sync-host-to-device");
    CheckFactories.registerCheck<torch::SyncItemCheck>("torch-sync-item");
    // END CHECK REGISTRATIONS
    // clang-format on
  }
};

} // namespace trainlint

static clang::tidy::ClangTidyModuleRegistry::Add<trainlint::TrainlintModule>
    TrainlintModuleRegistration("trainlint-module",
                                "Checks for C++ deep-learning training code.");

namespace trainlint {
/// Referenced by executables that link the check objects statically, so that
/// the registration above is kept.
volatile int TrainlintModuleAnchorSource = 0;
} // namespace trainlint
