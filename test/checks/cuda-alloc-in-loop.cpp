// RUN: %check_trainlint %s cuda-alloc-in-loop %t --cuda

#include <cuda_runtime.h>
#include <torch/torch.h>

#include <cstdlib>
#include <vector>

__global__ void step(float *x, int n);

// A buffer allocated and freed around each launch (as in a test of the
// runtime's asynchronous allocator that we read): every call goes through
// the driver, and cudaFree waits for the device.
void perStep(int n, cudaStream_t stream) {
  for (int i = 0; i < 100; ++i) {
    float *scratch = nullptr;
    cudaMalloc((void **)&scratch, n * sizeof(float));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMalloc' allocates device memory on every iteration of the CUDA step loop; allocate the buffer once before the loop and reuse it [cuda-alloc-in-loop]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: allocating and freeing device memory goes through the driver and costs far more than a kernel launch; 'cudaMallocAsync' and 'cudaFreeAsync' take memory from a stream-ordered pool instead
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
    step<<<n / 256, 256, 0, stream>>>(scratch, n);
    cudaFree(scratch);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaFree' frees device memory and synchronizes the device on every iteration of the CUDA step loop; allocate the buffer once before the loop, reuse it, and free it after the loop [cuda-alloc-in-loop]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: allocating and freeing device memory
    // CHECK-MESSAGES: :[[@LINE-10]]:3: note: CUDA step loop starts here
  }
}

// Pinned host memory, staged per step.
void pinnedPerStep(float *x, int n, cudaStream_t stream) {
  for (int i = 0; i < 100; ++i) {
    float *host = nullptr;
    cudaMallocHost((void **)&host, n * sizeof(float));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMallocHost' allocates pinned host memory on every iteration of the CUDA step loop; allocate the buffer once before the loop and reuse it [cuda-alloc-in-loop]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory goes through the driver, which locks every page, and costs far more than the copy it speeds up
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
    float *mapped = nullptr;
    cudaHostAlloc((void **)&mapped, n * sizeof(float), cudaHostAllocDefault);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaHostAlloc' allocates pinned host memory on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-10]]:3: note: CUDA step loop starts here
    cudaMemcpyAsync(x, host, n * sizeof(float), cudaMemcpyHostToDevice, stream);
    step<<<n / 256, 256, 0, stream>>>(x, n);
    cudaFreeHost(host);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaFreeHost' frees pinned host memory and synchronizes the device on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-16]]:3: note: CUDA step loop starts here
    cudaFreeHost(mapped);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaFreeHost' frees pinned host memory
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-20]]:3: note: CUDA step loop starts here
  }
}

// The caching allocator emptied on every step of a libtorch training loop.
struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};
void trainTorch(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    c10::cuda::CUDACachingAllocator::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' returns the cached device memory to the driver and synchronizes the device on every iteration of the training loop, so the next allocations go through 'cudaMalloc' again; call it outside the loop, if at all [cuda-alloc-in-loop]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
  }
  // Once, after training: silent.
  c10::cuda::CUDACachingAllocator::emptyCache();
}

// An allocation in a helper called from the loop, through the usual
// error-checking macro, is reported where it is written.
#define CUDA_CHECK(call)                                                       \
  do {                                                                         \
    cudaError_t err = (call);                                                  \
    if (err != cudaSuccess)                                                    \
      std::abort();                                                            \
  } while (0)

float *workspace(int n) {
  float *w = nullptr;
  CUDA_CHECK(cudaMalloc((void **)&w, n));
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'cudaMalloc' allocates device memory on every iteration of the CUDA step loop
  // CHECK-MESSAGES: :[[@LINE-2]]:14: note: allocating and freeing device memory
  // CHECK-MESSAGES: :[[@LINE+6]]:16: note: 'workspace' is called here, on the CUDA step loop path
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: CUDA step loop starts here
  return w;
}
void withHelper(int n) {
  for (int i = 0; i < 10; ++i) {
    float *w = workspace(n);
    step<<<1, 1>>>(w, n);
  }
}

// In a template, reported once, for the instantiation.
template <typename T> void generic(T *x, int n) {
  for (int i = 0; i < n; ++i) {
    T *tmp = nullptr;
    cudaMalloc((void **)&tmp, n * sizeof(T));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMalloc' allocates device memory on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: allocating and freeing
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
    step<<<1, 1>>>(x, n);
  }
}
template void generic<float>(float *, int);

//===--- Silent cases ---------------------------------------------------===//

// Allocated once before the loop, reused, freed once after it.
void reuse(float *x, int n, cudaStream_t stream) {
  float *buffer = nullptr;
  cudaMalloc((void **)&buffer, n * sizeof(float));
  for (int i = 0; i < 100; ++i)
    step<<<n / 256, 256, 0, stream>>>(buffer, n);
  cudaFree(buffer);
}

// The stream-ordered allocator takes memory from a pool and does not
// synchronize.
void streamOrdered(int n, cudaStream_t stream) {
  for (int i = 0; i < 100; ++i) {
    float *scratch = nullptr;
    cudaMallocAsync((void **)&scratch, n * sizeof(float), stream);
    step<<<n / 256, 256, 0, stream>>>(scratch, n);
    cudaFreeAsync(scratch, stream);
  }
}

// Allocated lazily on the first step, or grown when a larger batch comes:
// the guard is turned off by its own branch, so this runs a few times.
void lazyAndGrowing(const std::vector<int> &sizes, cudaStream_t stream) {
  float *lazy = nullptr;
  float *grown = nullptr;
  size_t capacity = 0;
  for (int n : sizes) {
    if (!lazy)
      cudaMalloc((void **)&lazy, 1 << 20);
    if (size_t(n) > capacity) {
      cudaFree(grown);
      cudaMalloc((void **)&grown, n * sizeof(float));
      capacity = n;
    }
    step<<<1, 1, 0, stream>>>(grown, n);
  }
}

// Gated by the step counter: rare, already amortized.
void gated(float *x, int n) {
  for (int i = 0; i < 1000; ++i) {
    step<<<1, 1>>>(x, n);
    if (i % 100 == 0)
      c10::cuda::CUDACachingAllocator::emptyCache();
  }
}

// Setup loops launch nothing: allocating one buffer per layer is not the
// hot path.
void setup(std::vector<float *> &layers, int n) {
  for (float *&layer : layers)
    cudaMalloc((void **)&layer, n);
}

// Once per epoch, around the step loop: amortized over the epoch's steps.
void perEpoch(float *x, int n) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    float *epochBuffer = nullptr;
    cudaMalloc((void **)&epochBuffer, n);
    for (int i = 0; i < 100; ++i)
      step<<<1, 1>>>(epochBuffer, n);
    cudaFree(epochBuffer);
  }
}

// A loop-local pointer is null on every step: not a guard.
void localGuard(float *x, int n) {
  for (int i = 0; i < 10; ++i) {
    float *tmp = nullptr;
    if (!tmp)
      cudaMalloc((void **)&tmp, n);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'cudaMalloc' allocates device memory on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: allocating and freeing
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: CUDA step loop starts here
    step<<<1, 1>>>(tmp, n);
  }
}

// Suppressed by the user.
void suppressed(float *x, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(x, n);
    cudaFree(nullptr); // NOLINT(cuda-alloc-in-loop)
  }
}
