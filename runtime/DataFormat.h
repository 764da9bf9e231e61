//===--- DataFormat.h - what the runtime's data file says --------*- C++ -*-===//
//
// The contract between the runtime, which writes the data file inside the
// observed program, and `trainlint validate`, which reads it: the bits that
// say what an operator call did and their names in the file. Plain C++ with
// no dependency, so that both sides include this one definition.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_RUNTIME_DATAFORMAT_H
#define TRAINLINT_RUNTIME_DATAFORMAT_H

#include <csignal>
#include <cstdint>

namespace trainlint {

/// What one top-level operator call did, as bits. A call site's record is
/// keyed by these, so a call that sometimes copies and sometimes does not
/// gets two records.
enum SiteFlag : uint32_t {
  /// `_local_scalar_dense` ran: a tensor's value was read into a host scalar
  /// (`item()`, `if (tensor)`, printing).
  FlagItem = 1u << 0,
  /// A copy from a device to the host.
  FlagCopyD2H = 1u << 1,
  /// A blocking copy from the host to a device.
  FlagCopyH2D = 1u << 2,
  /// A non-blocking copy from pinned host memory to a device.
  FlagCopyH2DAsync = 1u << 3,
  /// A copy between two devices.
  FlagCopyD2D = 1u << 4,
  /// The call is a move request: `to()`, `cpu()`, `cuda()`. Whether data
  /// moved is in the copy bits and the source and destination devices.
  FlagMove = 1u << 5,
  /// The source of the copy or move is pinned host memory.
  FlagPinned = 1u << 6,
  /// An operator whose output shape depends on tensor values ran
  /// (`nonzero`, `masked_select`, `unique`): it synchronizes on a device.
  FlagShapeSync = 1u << 7,
  /// `cat`; the bytes are the output's.
  FlagCat = 1u << 8,
  /// The call ran with grad mode on.
  FlagGradMode = 1u << 9,
  /// The call ran between a backward pass and the next grad-mode operator:
  /// the optimizer step.
  FlagOptimizer = 1u << 10,
  /// A backward pass; its stack is the caller of `backward()`.
  FlagBackward = 1u << 11,
  /// CUDA's sync-debug mode reported a synchronization in this call.
  FlagSyncDebug = 1u << 12,
  /// Gradients accumulated into a `.grad` that nothing cleared since the
  /// previous optimizer step; recorded at the backward pass.
  FlagGradNotCleared = 1u << 13,
  /// The copy or move asked for `non_blocking`.
  FlagNonBlocking = 1u << 14,
  /// The call set a tensor to zero (`zero_`, `fill_`): how gradients are
  /// cleared.
  FlagZero = 1u << 15,
  /// The call is a factory: it created a tensor from no tensor input.
  FlagFactory = 1u << 16,
  /// A call of the CUDA runtime's allocator (cudaMalloc, cudaFree,
  /// cudaMallocHost, cudaFreeHost, cudaHostAlloc), seen by interposing the
  /// shared libcudart; the bytes are the ones requested.
  FlagCudaAlloc = 1u << 17,
  /// A dropout or batch-norm operator ran (`dropout`, `native_dropout`,
  /// `batch_norm`, `_batch_norm_impl_index`, `native_batch_norm`, and the
  /// feature and alpha dropouts): what a module's train or eval mode
  /// changes.
  FlagModeOp = 1u << 18,
  /// That operator's `train`/`training` argument was true: dropout dropped
  /// and batch norm used the batch's statistics and updated its running
  /// ones.
  FlagTrainingMode = 1u << 19,
};

/// Each flag and its name in the data file.
struct SiteFlagName {
  const char *Name;
  SiteFlag Flag;
};
inline constexpr SiteFlagName SiteFlagNames[] = {
    {"item", FlagItem},
    {"copy-d2h", FlagCopyD2H},
    {"copy-h2d", FlagCopyH2D},
    {"copy-h2d-async", FlagCopyH2DAsync},
    {"copy-d2d", FlagCopyD2D},
    {"move", FlagMove},
    {"pinned", FlagPinned},
    {"shape-sync", FlagShapeSync},
    {"cat", FlagCat},
    {"grad-mode", FlagGradMode},
    {"optimizer", FlagOptimizer},
    {"backward", FlagBackward},
    {"sync-debug", FlagSyncDebug},
    {"grad-not-cleared", FlagGradNotCleared},
    {"non-blocking", FlagNonBlocking},
    {"zero", FlagZero},
    {"factory", FlagFactory},
    {"cuda-alloc", FlagCudaAlloc},
    {"mode-op", FlagModeOp},
    {"training-mode", FlagTrainingMode},
};

/// The data file's name of flag bit \p Bit (0-31), or null for none.
inline const char *flagName(unsigned Bit) {
  for (const SiteFlagName &Entry : SiteFlagNames)
    if (static_cast<uint32_t>(Entry.Flag) == (1u << Bit))
      return Entry.Name;
  return nullptr;
}

/// The name of signal \p Sig as the data file and the report spell it
/// ("SIGSEGV"), or null for one without a name here. Safe in a signal handler.
inline const char *signalName(int Sig) {
  switch (Sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  case SIGABRT:
    return "SIGABRT";
  case SIGTERM:
    return "SIGTERM";
  case SIGINT:
    return "SIGINT";
  case SIGKILL:
    return "SIGKILL";
  case SIGHUP:
    return "SIGHUP";
  case SIGQUIT:
    return "SIGQUIT";
  default:
    return nullptr;
  }
}

} // namespace trainlint

#endif // TRAINLINT_RUNTIME_DATAFORMAT_H
