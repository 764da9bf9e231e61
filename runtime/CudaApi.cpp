//===--- CudaApi.cpp - the CUDA runtime's allocator, interposed -----------===//
//
// cudaMalloc and its kin are no libtorch operator: RecordFunction never sees
// them. Preloaded, this library defines them itself, so that a program (or a
// library of its own) that calls them through a shared libcudart calls these
// first; each counts the call at its stack and forwards it to the next
// definition (dlsym(RTLD_NEXT)), libcudart's. Nothing is declared from CUDA's
// headers: the CPU-only build has none, and the ABI is plain C (cudaError_t
// is an int-sized enum).
//
// What this cannot see: a program linked against the static libcudart
// (nvcc's default, `-cudart static`) binds its calls at link time, and
// libtorch's own calls (its caching allocator) are left out on purpose
// (noteCudaAllocCall ignores calls made inside an operator).
//
//===----------------------------------------------------------------------===//

#include "Recorder.h"

#include <atomic>
#include <cstddef>
#include <dlfcn.h>

namespace trainlint {
namespace runtime {

namespace {

enum CudaAllocCall : unsigned {
  CallMalloc,
  CallFree,
  CallMallocHost,
  CallFreeHost,
  CallHostAlloc
};

const char *const CallNames[NumCudaAllocCalls] = {
    "cudaMalloc", "cudaFree", "cudaMallocHost", "cudaFreeHost",
    "cudaHostAlloc"};

// cudaErrorInitializationError: what libcudart itself answers when it
// cannot start; here, when there is no libcudart behind us to call.
constexpr int NoCudaRuntime = 3;

std::atomic<void *> Next[NumCudaAllocCalls];

/// The definition this library hides, looked up once.
template <typename Fn> Fn next(unsigned Call) {
  void *P = Next[Call].load(std::memory_order_acquire);
  if (!P) {
    P = dlsym(RTLD_NEXT, CallNames[Call]);
    Next[Call].store(P, std::memory_order_release);
  }
  return reinterpret_cast<Fn>(P);
}

} // namespace

const char *cudaAllocCallName(unsigned Call) {
  return Call < NumCudaAllocCalls ? CallNames[Call] : "cuda?";
}

} // namespace runtime
} // namespace trainlint

using namespace trainlint::runtime;

// The library's symbols are hidden (CXX_VISIBILITY_PRESET); these five must
// be seen by the dynamic linker to interpose.
#define TRAINLINT_INTERPOSE extern "C" __attribute__((visibility("default")))

TRAINLINT_INTERPOSE int cudaMalloc(void **Ptr, size_t Size) {
  auto Fn = next<int (*)(void **, size_t)>(CallMalloc);
  noteCudaAllocCall(CallMalloc, Size);
  return Fn ? Fn(Ptr, Size) : NoCudaRuntime;
}

TRAINLINT_INTERPOSE int cudaFree(void *Ptr) {
  auto Fn = next<int (*)(void *)>(CallFree);
  noteCudaAllocCall(CallFree, 0);
  return Fn ? Fn(Ptr) : NoCudaRuntime;
}

TRAINLINT_INTERPOSE int cudaMallocHost(void **Ptr, size_t Size) {
  auto Fn = next<int (*)(void **, size_t)>(CallMallocHost);
  noteCudaAllocCall(CallMallocHost, Size);
  return Fn ? Fn(Ptr, Size) : NoCudaRuntime;
}

TRAINLINT_INTERPOSE int cudaFreeHost(void *Ptr) {
  auto Fn = next<int (*)(void *)>(CallFreeHost);
  noteCudaAllocCall(CallFreeHost, 0);
  return Fn ? Fn(Ptr) : NoCudaRuntime;
}

TRAINLINT_INTERPOSE int cudaHostAlloc(void **Ptr, size_t Size,
                                      unsigned int Flags) {
  auto Fn = next<int (*)(void **, size_t, unsigned int)>(CallHostAlloc);
  noteCudaAllocCall(CallHostAlloc, Size);
  return Fn ? Fn(Ptr, Size, Flags) : NoCudaRuntime;
}
