// A CUDA-runtime step loop: each step launches a kernel, and it copies and
// waits more than it needs to.

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

__global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}

int main() {
  const int n = 1 << 20;
  std::vector<float> hostX(n, 1.0f), hostY(n, 2.0f);
  float *x = nullptr, *y = nullptr, *pinned = nullptr;
  cudaMalloc(&x, n * sizeof(float));
  cudaMalloc(&y, n * sizeof(float));
  cudaMallocHost(&pinned, n * sizeof(float));
  cudaStream_t stream;
  cudaStreamCreate(&stream);

  cudaMemcpy(y, hostY.data(), n * sizeof(float), cudaMemcpyHostToDevice);
  float a = 0.5f;
  for (int step = 0; step < 100; ++step) {
    cudaMemcpyAsync(x, hostX.data(), n * sizeof(float), cudaMemcpyHostToDevice, stream);
    cudaMemcpy(x, &a, sizeof(float), cudaMemcpyHostToDevice);
    saxpy<<<(n + 255) / 256, 256, 0, stream>>>(n, a, x, y);
    cudaDeviceSynchronize();
    cudaMemcpy(hostY.data(), y, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpyAsync(pinned, y, n * sizeof(float), cudaMemcpyDeviceToHost, stream);
    // A scratch copy of the step's result, allocated and freed every step.
    float *scratch = nullptr;
    cudaMalloc(&scratch, n * sizeof(float));
    cudaMemcpyAsync(scratch, y, n * sizeof(float), cudaMemcpyDeviceToDevice, stream);
    cudaFree(scratch);
  }
  std::printf("y[0] = %f\n", hostY[0]);
  cudaFree(x);
  cudaFree(y);
  cudaFreeHost(pinned);
  return 0;
}
