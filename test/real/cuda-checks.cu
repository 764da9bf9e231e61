// REQUIRES: cuda-headers
// The genuine CUDA runtime headers: the names the cuda-* checks match must
// exist there, kernel launches must parse, and the runtime's own template
// overloads (cudaMallocHost, cudaMemcpyToSymbol) must neither hide nor add
// findings. Each check runs alone, then again with per-thread default stream
// compilation, under which the headers rename the runtime's functions
// (cudaMemcpy_ptds, cudaStreamSynchronize_ptsz).
//
// RUN: %check_trainlint_real %s cuda-sync-in-loop %t.sync --check-prefix=CHECK-SYNC -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version
// RUN: %check_trainlint_real %s cuda-memcpy-in-loop %t.memcpy --check-prefix=CHECK-MEMCPY -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version
// RUN: %check_trainlint_real %s cuda-memcpy-async-pageable %t.pageable --check-prefix=CHECK-PAGEABLE -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version
// RUN: %check_trainlint_real %s cuda-sync-in-loop %t.sync-ptds --check-prefix=CHECK-SYNC -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version -DCUDA_API_PER_THREAD_DEFAULT_STREAM
// RUN: %check_trainlint_real %s cuda-memcpy-in-loop %t.memcpy-ptds --check-prefix=CHECK-MEMCPY -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version -DCUDA_API_PER_THREAD_DEFAULT_STREAM
// RUN: %check_trainlint_real %s cuda-memcpy-async-pageable %t.pageable-ptds --check-prefix=CHECK-PAGEABLE -- -x cuda --cuda-host-only -nocudalib --cuda-path=%cuda_include/.. -Wno-unknown-cuda-version -DCUDA_API_PER_THREAD_DEFAULT_STREAM

#include <cuda_runtime.h>

#include <chrono>
#include <vector>

__constant__ float Scale[4];

__global__ void axpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + Scale[0] * y[i];
}

void train(int n, float *x, float *y, cudaStream_t stream) {
  std::vector<float> hostX(n), hostY(n);
  float *pinned = nullptr;
  cudaMallocHost(&pinned, n * sizeof(float));
  float scale[4] = {1, 1, 1, 1};
  for (int step = 0; step < 100; ++step) {
    cudaMemcpyAsync(x, hostX.data(), n * sizeof(float), cudaMemcpyHostToDevice,
                    stream);
    // CHECK-PAGEABLE: :[[@LINE-2]]:5: warning: 'cudaMemcpyAsync' from pageable host memory is synchronous; allocate the host buffer with 'cudaMallocHost' or 'cudaHostAlloc', or register it with 'cudaHostRegister' [cuda-memcpy-async-pageable]
    // CHECK-PAGEABLE: :[[@LINE-8]]:22: note: 'hostX' holds pageable host memory allocated by a 'std::vector'
    // CHECK-PAGEABLE: :[[@LINE-5]]:3: note: CUDA step loop starts here
    cudaMemcpyAsync(x, pinned, n * sizeof(float), cudaMemcpyHostToDevice,
                    stream);
    // A small constant upload, through the runtime's template overload.
    cudaMemcpyToSymbol(Scale, scale, sizeof(scale));
    axpy<<<(n + 255) / 256, 256, 0, stream>>>(n, 0.5f, x, y);
    cudaStreamSynchronize(stream);
    // CHECK-SYNC: :[[@LINE-1]]:5: warning: 'cudaStreamSynchronize' blocks the host until all work queued on the stream is done, on every iteration of the CUDA step loop; rely on stream order and synchronize every N steps or after the loop [cuda-sync-in-loop]
    cudaMemcpy(hostY.data(), y, n * sizeof(float), cudaMemcpyDeviceToHost);
    // CHECK-MEMCPY: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host until the copy is done, on every iteration of the CUDA step loop; use 'cudaMemcpyAsync' on a stream, with pinned host memory, and synchronize once per step [cuda-memcpy-in-loop]
    cudaMemcpyToSymbol(Scale, hostY.data(), n * sizeof(float));
    // CHECK-MEMCPY: :[[@LINE-1]]:5: warning: 'cudaMemcpyToSymbol' blocks the host until the copy is done
  }
  cudaDeviceSynchronize();
  cudaFreeHost(pinned);
}

// A benchmark waits on purpose: silent.
void benchmark(int n, float *x, float *y, cudaEvent_t start, cudaEvent_t stop) {
  for (int i = 0; i < 10; ++i) {
    cudaEventRecord(start);
    axpy<<<(n + 255) / 256, 256>>>(n, 2.0f, x, y);
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
  }
  for (int i = 0; i < 10; ++i) {
    auto begin = std::chrono::steady_clock::now();
    axpy<<<(n + 255) / 256, 256>>>(n, 2.0f, x, y);
    cudaDeviceSynchronize();
    (void)begin;
  }
}

// Launches through the runtime's API count too.
void launches(int n, float *x, float *y, cudaStream_t stream) {
  float a = 1.0f;
  void *args[] = {&n, &a, &x, &y};
  for (int i = 0; i < 10; ++i) {
    cudaLaunchKernel(axpy, dim3(1), dim3(256), args, 0, stream);
    cudaDeviceSynchronize();
    // CHECK-SYNC: :[[@LINE-1]]:5: warning: 'cudaDeviceSynchronize' blocks the host
  }
}
