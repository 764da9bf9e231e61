// RUN: %check_trainlint %s cuda-memcpy-async-pageable %t --cuda

#include <cuda_runtime.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

__global__ void step(float *x, int n);

float GlobalStaging[1024];
__managed__ float ManagedStaging[1024];

void pageableSources(float *dev, int n, cudaStream_t stream) {
  std::vector<float> hostX(n);
  cudaMemcpyAsync(dev, hostX.data(), n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous; allocate the host buffer with 'cudaMallocHost' or 'cudaHostAlloc', or register it with 'cudaHostRegister' [cuda-memcpy-async-pageable]
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'hostX' holds pageable host memory allocated by a 'std::vector': the driver stages the copy through a pinned buffer of its own, so the copy is synchronous with the host
  cudaMemcpyAsync(dev, &hostX[0], n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-8]]:22: note: 'hostX' holds pageable host memory allocated by a 'std::vector'

  float local[256];
  cudaMemcpyAsync(dev, local, sizeof(local), cudaMemcpyHostToDevice, stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-3]]:9: note: 'local' holds pageable host memory on the stack
  cudaMemcpyAsync(dev, GlobalStaging + 16, 64, cudaMemcpyHostToDevice, stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :13:7: note: 'GlobalStaging' holds pageable host memory in static storage

  float *fromNew = new float[n];
  cudaMemcpyAsync(dev, fromNew, n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: 'fromNew' points to pageable host memory allocated by 'new[]'
  delete[] fromNew;

  float *fromMalloc = nullptr;
  fromMalloc = static_cast<float *>(std::malloc(n * sizeof(float)));
  cudaMemcpyAsync(dev, fromMalloc, n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-5]]:10: note: 'fromMalloc' points to pageable host memory allocated by 'malloc'
  std::free(fromMalloc);

  auto owned = std::make_unique<float[]>(n);
  cudaMemcpyAsync(dev, owned.get(), n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: 'owned' points to pageable host memory allocated by 'std::make_unique<T[]>'

  // A pointer into a vector is the vector's memory.
  float *cursor = hostX.data();
  cursor += 16;
  cudaMemcpyAsync(dev, cursor, 64, cudaMemcpyHostToDevice, stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: 'cursor' points to pageable host memory allocated by a 'std::vector'

  std::array<float, 64> params{};
  cudaMemcpyAsync(dev, params.data(), sizeof(params), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:25: note: 'params' holds pageable host memory on the stack
}

void pageableDestinations(const float *dev, int n, cudaStream_t stream) {
  std::vector<float> result(n);
  cudaMemcpyAsync(result.data(), dev, n * sizeof(float), cudaMemcpyDeviceToHost,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' to pageable host memory is synchronous; allocate the host buffer with 'cudaMallocHost' or 'cudaHostAlloc', or register it with 'cudaHostRegister'
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'result' holds pageable host memory allocated by a 'std::vector'
  // With unified addressing either side may be the host's.
  cudaMemcpyAsync(result.data(), dev, n * sizeof(float), cudaMemcpyDefault,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' to pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-9]]:22: note: 'result' holds pageable
  float loss = 0;
  cudaMemcpyAsync(&loss, dev, sizeof(float), cudaMemcpyDeviceToHost, stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaMemcpyAsync' to pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-3]]:9: note: 'loss' holds pageable host memory on the stack
  std::string text(64, ' ');
  cudaMemcpy2DAsync(&text[0], 8, dev, 8, 8, 8, cudaMemcpyDeviceToHost, stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaMemcpy2DAsync' to pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'text' holds pageable host memory allocated by a 'std::string'
}

// In a hot loop the copy is named with the loop.
void inTheLoop(float *dev, int n, cudaStream_t stream) {
  std::vector<float> batch(n);
  for (int i = 0; i < 100; ++i) {
    cudaMemcpyAsync(dev, batch.data(), n * sizeof(float),
                    cudaMemcpyHostToDevice, stream);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
    // CHECK-MESSAGES: :[[@LINE-5]]:22: note: 'batch' holds pageable
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
    step<<<n / 256, 256, 0, stream>>>(dev, n);
  }
}

// A copy in a helper called from the loop is named with the call that makes
// it hot.
void uploadBatch(float *dev, int n, cudaStream_t stream) {
  float *batch = static_cast<float *>(std::calloc(n, sizeof(float)));
  cudaMemcpyAsync(dev, batch, n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: 'batch' points to pageable host memory allocated by 'calloc'
  // CHECK-MESSAGES: :[[@LINE+8]]:5: note: 'uploadBatch' is called here, on the CUDA step loop path
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: CUDA step loop starts here
  std::free(batch);
}

void trainWithHelper(float *dev, int n, cudaStream_t stream) {
  std::unique_ptr<float[]> unused(new float[n]);
  for (int i = 0; i < 100; ++i) {
    uploadBatch(dev, n, stream);
    step<<<1, 1, 0, stream>>>(dev, n);
  }
  // A unique_ptr made from new[].
  cudaMemcpyAsync(dev, &unused[8], 16, cudaMemcpyHostToDevice, stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-8]]:28: note: 'unused' points to pageable host memory allocated by 'new[]'
}

// The usual error-checking macro: the copy is reported where it is written.
#define CUDA_CHECK(call)                                                       \
  do {                                                                         \
    if ((call) != cudaSuccess)                                                 \
      std::abort();                                                            \
  } while (0)

void checked(float *dev, int n, cudaStream_t stream) {
  std::vector<float> hostX(n);
  CUDA_CHECK(cudaMemcpyAsync(dev, hostX.data(), n, cudaMemcpyHostToDevice,
                             stream));
  // CHECK-MESSAGES: :[[@LINE-2]]:14: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'hostX' holds pageable
}

// In a template, reported once, for the instantiation.
template <typename T> void upload(T *dev, int n, cudaStream_t stream) {
  std::vector<T> host(n);
  cudaMemcpyAsync(dev, host.data(), n * sizeof(T), cudaMemcpyHostToDevice,
                  stream);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: 'host' holds pageable
}
template void upload<float>(float *, int, cudaStream_t);

//===--- Silent cases ---------------------------------------------------===//

// Pinned memory: what the check asks for.
void pinned(float *dev, int n, cudaStream_t stream) {
  float *staging = nullptr;
  cudaMallocHost(reinterpret_cast<void **>(&staging), n * sizeof(float));
  cudaMemcpyAsync(dev, staging, n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  float *mapped = nullptr;
  cudaHostAlloc(reinterpret_cast<void **>(&mapped), n, cudaHostAllocDefault);
  cudaMemcpyAsync(mapped, dev, n, cudaMemcpyDeviceToHost, stream);
  // Assigned pageable memory once, pinned memory later: not provably
  // pageable.
  float *either = new float[n];
  cudaMallocHost(reinterpret_cast<void **>(&either), n);
  cudaMemcpyAsync(dev, either, n, cudaMemcpyHostToDevice, stream);
}

// Registered pageable memory is pinned, wherever the registration is.
std::vector<float> Registered(1024);
void registerGlobal() {
  cudaHostRegister(Registered.data(), 4096, cudaHostRegisterDefault);
}
void pinHelper(void *p, size_t bytes) {
  cudaHostRegister(p, bytes, cudaHostRegisterDefault);
}
void registered(float *dev, int n, cudaStream_t stream) {
  std::vector<float> host(n);
  cudaHostRegister(host.data(), n * sizeof(float), cudaHostRegisterDefault);
  cudaMemcpyAsync(dev, host.data(), n * sizeof(float), cudaMemcpyHostToDevice,
                  stream);
  cudaMemcpyAsync(dev, Registered.data(), 4096, cudaMemcpyHostToDevice, stream);
  // Registered through a pointer derived from it, or by a helper.
  float *raw = new float[n];
  float *alias = raw;
  cudaHostRegister(alias, n, cudaHostRegisterDefault);
  cudaMemcpyAsync(dev, raw, n, cudaMemcpyHostToDevice, stream);
  float staging[256];
  pinHelper(staging, sizeof(staging));
  cudaMemcpyAsync(dev, staging, sizeof(staging), cudaMemcpyHostToDevice,
                  stream);
}

// Handed to a function of the user's whose body is elsewhere: it may
// register the memory.
void pinSomehow(float *p, size_t n);
void unknownHelper(float *dev, int n, cudaStream_t stream) {
  std::vector<float> host(n);
  pinSomehow(host.data(), n);
  cudaMemcpyAsync(dev, host.data(), n, cudaMemcpyHostToDevice, stream);
}

// Parameters and pointers of unknown origin may be pinned.
float *stagingBuffer();
void unknownOrigin(float *dev, float *host, std::vector<float> &byRef, int n,
                   cudaStream_t stream) {
  cudaMemcpyAsync(dev, host, n, cudaMemcpyHostToDevice, stream);
  cudaMemcpyAsync(dev, byRef.data(), n, cudaMemcpyHostToDevice, stream);
  float *fromElsewhere = stagingBuffer();
  cudaMemcpyAsync(dev, fromElsewhere, n, cudaMemcpyHostToDevice, stream);
}

// Pointers that may end up elsewhere: reset, reassigned from a parameter,
// reached through a member.
struct Batch {
  std::vector<float> values;
  float *staging;
};
void mayChange(float *dev, float *param, Batch &batch, int n,
               cudaStream_t stream) {
  auto owned = std::make_unique<float[]>(n);
  owned.reset(param);
  cudaMemcpyAsync(dev, owned.get(), n, cudaMemcpyHostToDevice, stream);
  owned.release();
  float *p = new float[n];
  p = param;
  cudaMemcpyAsync(dev, p, n, cudaMemcpyHostToDevice, stream);
  cudaMemcpyAsync(dev, batch.values.data(), n, cudaMemcpyHostToDevice, stream);
  cudaMemcpyAsync(dev, batch.staging, n, cudaMemcpyHostToDevice, stream);
}

// A container with its own allocator may hand out pinned memory.
template <typename T> struct PinnedAllocator {
  using value_type = T;
  T *allocate(size_t n);
  void deallocate(T *p, size_t n);
};
void customAllocator(float *dev, int n, cudaStream_t stream) {
  std::vector<float, PinnedAllocator<float>> host(n);
  cudaMemcpyAsync(dev, host.data(), n, cudaMemcpyHostToDevice, stream);
}

// Managed memory is no pageable staging buffer.
void managed(float *dev, cudaStream_t stream) {
  cudaMemcpyAsync(dev, ManagedStaging, sizeof(ManagedStaging),
                  cudaMemcpyHostToDevice, stream);
}

// The device side of a copy is not the host's: a pageable source of a
// device-to-host copy is a mistake of another kind.
void wrongSide(float *devDst, float *pinnedDst, int n, cudaStream_t stream) {
  std::vector<float> host(n);
  cudaMemcpyAsync(pinnedDst, host.data(), n, cudaMemcpyDeviceToHost, stream);
  cudaMemcpyAsync(devDst, host.data(), n, cudaMemcpyDeviceToDevice, stream);
}

// A direction chosen at run time: which side is the host's is unknown.
void runtimeKind(float *dst, int n, cudaMemcpyKind kind, cudaStream_t stream) {
  std::vector<float> host(n);
  cudaMemcpyAsync(dst, host.data(), n, kind, stream);
}

// Suppressed by the user.
void suppressed(float *dev, int n, cudaStream_t stream) {
  std::vector<float> host(n);
  cudaMemcpyAsync(dev, host.data(), n, cudaMemcpyHostToDevice, stream); // NOLINT(cuda-memcpy-async-pageable)
}
