// A CUDA step loop that waits for the device after every launch.
#include <cuda_runtime.h>

__global__ void scale(float *x, int n);

void run(float *x, int n, cudaStream_t stream) {
  for (int step = 0; step < 100; ++step) {
    scale<<<n / 256, 256, 0, stream>>>(x, n);
    cudaDeviceSynchronize();
  }
}
