// REQUIRES: cuda-headers
// The genuine CUDA runtime headers: cudaMalloc, cudaMallocHost and
// cudaHostAlloc have template overloads there, which must be reported once,
// where the user calls them, and never inside the header.
//
// RUN: %check_trainlint_real %s cuda-alloc-in-loop %t -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version
// RUN: %check_trainlint_real %s cuda-alloc-in-loop %t.ptds -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version -DCUDA_API_PER_THREAD_DEFAULT_STREAM

#include <cuda_runtime.h>

__global__ void axpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}

void train(int n, const float *x, cudaStream_t stream) {
  for (int step = 0; step < 100; ++step) {
    float *y = nullptr;
    cudaMalloc(&y, n * sizeof(float));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMalloc' allocates device memory on every iteration of the CUDA step loop; allocate the buffer once before the loop and reuse it [cuda-alloc-in-loop]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: allocating and freeing device memory
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
    float *staging = nullptr;
    cudaMallocHost(&staging, n * sizeof(float));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMallocHost' allocates pinned host memory on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-10]]:3: note: CUDA step loop starts here
    float *mapped = nullptr;
    cudaHostAlloc(&mapped, n * sizeof(float), cudaHostAllocDefault);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaHostAlloc' allocates pinned host memory
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-15]]:3: note: CUDA step loop starts here
    axpy<<<(n + 255) / 256, 256, 0, stream>>>(n, 2.0f, x, y);
    cudaFree(y);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaFree' frees device memory and synchronizes the device on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: allocating and freeing device memory
    // CHECK-MESSAGES: :[[@LINE-20]]:3: note: CUDA step loop starts here
    cudaFreeHost(staging);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaFreeHost' frees pinned host memory and synchronizes the device
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-24]]:3: note: CUDA step loop starts here
    cudaFreeHost(mapped);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaFreeHost' frees pinned host memory
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: pinning host memory
    // CHECK-MESSAGES: :[[@LINE-28]]:3: note: CUDA step loop starts here
  }
}

// Silent: one buffer for the whole loop; the stream-ordered allocator; a
// buffer grown only when a larger batch comes.
void reuse(int n, const float *x, const int *sizes, int steps,
           cudaStream_t stream) {
  float *y = nullptr;
  cudaMalloc(&y, n * sizeof(float));
  float *grown = nullptr;
  int capacity = 0;
  for (int step = 0; step < steps; ++step) {
    float *scratch = nullptr;
    cudaMallocAsync(&scratch, n * sizeof(float), stream);
    if (sizes[step] > capacity) {
      cudaFree(grown);
      cudaMalloc(&grown, sizes[step] * sizeof(float));
      capacity = sizes[step];
    }
    axpy<<<(n + 255) / 256, 256, 0, stream>>>(n, 2.0f, x, y);
    axpy<<<(n + 255) / 256, 256, 0, stream>>>(n, 2.0f, scratch, grown);
    cudaFreeAsync(scratch, stream);
  }
  cudaFree(y);
  cudaFree(grown);
}
