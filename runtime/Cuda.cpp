//===--- Cuda.cpp - device timing and sync reports on a CUDA libtorch
//-------===//
//
// Compiled only when the runtime is built against a CUDA libtorch
// (TRAINLINT_RUNTIME_CUDA). Two things a CPU build cannot do:
// - time each step on the device: an event is recorded on the current
//   stream at every step boundary, and the elapsed times between them are
//   read when the data file is written (the process is ending, so waiting
//   for the device then costs nothing the user cares about);
// - catch the synchronizations libtorch itself knows about: sync-debug mode
//   is set to "warn" and a warning handler on every observing thread turns
//   those warnings into records instead of printing them. Other warnings go
//   on to the handler that was there before.
//
//===----------------------------------------------------------------------===//

#include "Recorder.h"

#ifdef TRAINLINT_RUNTIME_CUDA

#include "JsonOut.h"

#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAStream.h>
#include <c10/util/Exception.h>
#include <cuda_runtime_api.h>
#include <torch/version.h>

#include <string>

namespace trainlint {
namespace runtime {

namespace {

constexpr unsigned MaxEvents = 4096;
cudaEvent_t Events[MaxEvents];
uint64_t EventStep[MaxEvents];
unsigned NumEvents = 0; // Guarded by the recorder's lock (cutLocked).
bool DeviceReady = false;

bool isSyncReport(const std::string &Text) {
  return Text.find("synchronizing CUDA operation") != std::string::npos;
}

class SyncReporter : public c10::WarningHandler {
public:
  explicit SyncReporter(c10::WarningHandler *Prev) : Prev(Prev) {}
#if TORCH_VERSION_MAJOR >= 2
  void process(const c10::Warning &W) override {
    if (isSyncReport(W.msg()))
      noteSyncReport();
    else if (Prev)
      Prev->process(W);
  }
#else
  void process(const c10::SourceLocation &Loc, const std::string &Text,
               const bool Verbatim) override {
    if (isSyncReport(Text))
      noteSyncReport();
    else if (Prev)
      Prev->process(Loc, Text, Verbatim);
  }
#endif

private:
  c10::WarningHandler *Prev;
};

} // namespace

void cudaInit() {
  if (!processInfo().CudaAvailable)
    return;
  DeviceReady = true;
  c10::cuda::warning_state().set_sync_debug_mode(
      c10::cuda::SyncDebugMode::L_WARN);
}

void cudaOnThread() {
  if (!DeviceReady)
    return;
    // The warning handler is per thread in libtorch; one reporter per thread,
    // alive as long as the thread.
#if TORCH_VERSION_MAJOR >= 2
  static thread_local SyncReporter Reporter(
      c10::WarningUtils::get_warning_handler());
  c10::WarningUtils::set_warning_handler(&Reporter);
#else
  static thread_local SyncReporter Reporter(
      c10::Warning::get_warning_handler());
  c10::Warning::set_warning_handler(&Reporter);
#endif
}

void cudaOnStep(uint64_t Step) {
  if (!DeviceReady || NumEvents >= MaxEvents)
    return;
  cudaEvent_t E;
  if (cudaEventCreate(&E) != cudaSuccess)
    return;
  if (cudaEventRecord(E, c10::cuda::getCurrentCUDAStream().stream()) !=
      cudaSuccess) {
    cudaEventDestroy(E);
    return;
  }
  Events[NumEvents] = E;
  EventStep[NumEvents++] = Step;
}

void cudaWriteStepTimes(JsonOut &Out, uint64_t) {
  Out.key("device_step_ns");
  Out.ch('[');
  bool First = true;
  for (unsigned I = 0; I + 1 < NumEvents; ++I) {
    float Ms = 0;
    if (cudaEventSynchronize(Events[I + 1]) != cudaSuccess ||
        cudaEventElapsedTime(&Ms, Events[I], Events[I + 1]) != cudaSuccess)
      continue;
    if (!First)
      Out.ch(',');
    First = false;
    Out.raw("{\"step\":");
    Out.u64(EventStep[I]);
    Out.key("ns");
    Out.u64(static_cast<uint64_t>(static_cast<double>(Ms) * 1e6));
    Out.ch('}');
  }
  Out.ch(']');
}

void cudaFinishCopies() {
  if (DeviceReady)
    cudaDeviceSynchronize();
}

} // namespace runtime
} // namespace trainlint

#endif // TRAINLINT_RUNTIME_CUDA
