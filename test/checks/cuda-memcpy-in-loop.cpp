// RUN: %check_trainlint %s cuda-memcpy-in-loop %t --cuda
// The option, on the small uploads alone:
// RUN: %check_trainlint %s cuda-memcpy-in-loop %t.small --cuda \
// RUN:   --check-prefix=CHECK-SMALL \
// RUN:   --config="{CheckOptions: {cuda-memcpy-in-loop.SmallCopyThreshold: 8}}" \
// RUN:   -- -DSMALL_UPLOADS_ONLY

#include <cuda_runtime.h>

#include <vector>

__global__ void step(float *x, const float *params, int n);
__constant__ float Scale[4];

// Small uploads of a constant size are exempt: a step's scalars or a few
// parameters cost less than what would hide them. With SmallCopyThreshold set
// to 8 bytes, only the 4-byte upload stays exempt.
void smallUploads(float *dev, float *params, float lr, int n) {
  float hostParams[16] = {};
  for (int i = 0; i < 100; ++i) {
    cudaMemcpy(params, &lr, sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(params, hostParams, sizeof(float) * 16, cudaMemcpyHostToDevice);
    // CHECK-SMALL: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host
    cudaMemcpy2D(params, 64, hostParams, 64, 16, 1, cudaMemcpyHostToDevice);
    // CHECK-SMALL: :[[@LINE-1]]:5: warning: 'cudaMemcpy2D' blocks the host
    cudaMemcpyToSymbol(Scale, hostParams, sizeof(Scale));
    // CHECK-SMALL: :[[@LINE-1]]:5: warning: 'cudaMemcpyToSymbol' blocks the host
    step<<<1, 1>>>(dev, params, n);
    // Just over the default 64 KiB: reported.
    cudaMemcpy(params, hostParams, 65536 + 4, cudaMemcpyHostToDevice);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host
    // CHECK-SMALL: :[[@LINE-2]]:5: warning: 'cudaMemcpy' blocks the host
    // A small size that is not a constant may grow: reported.
    cudaMemcpy(params, hostParams, n, cudaMemcpyHostToDevice);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host
    // CHECK-SMALL: :[[@LINE-2]]:5: warning: 'cudaMemcpy' blocks the host
    // Small, but back to the host: the host waits for the whole step.
    cudaMemcpy(&lr, params, sizeof(float), cudaMemcpyDeviceToHost);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host
    // CHECK-SMALL: :[[@LINE-2]]:5: warning: 'cudaMemcpy' blocks the host
  }
}

#ifndef SMALL_UPLOADS_ONLY

void copies(float *dev, float *host, float *params, int n,
            cudaStream_t stream) {
  for (int i = 0; i < 100; ++i) {
    cudaMemcpy(dev, host, n * sizeof(float), cudaMemcpyHostToDevice);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host until the copy is done, on every iteration of the CUDA step loop; use 'cudaMemcpyAsync' on a stream, with pinned host memory, and synchronize once per step [cuda-memcpy-in-loop]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: the copy waits for the work queued before it and the host waits for the copy, so nothing is queued for the next step meanwhile and the device idles
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: CUDA step loop starts here
    step<<<n / 256, 256, 0, stream>>>(dev, params, n);
    cudaMemcpy(host, dev, n * sizeof(float), cudaMemcpyDeviceToHost);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host until the copy is done, on every iteration of the CUDA step loop
    cudaMemcpy(host, dev, n * sizeof(float), cudaMemcpyDefault);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy' blocks the host
    cudaMemcpy2D(dev, 256, host, 256, 256, n, cudaMemcpyHostToDevice);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy2D' blocks the host until the copy is done, on every iteration of the CUDA step loop; use 'cudaMemcpy2DAsync' on a stream
    cudaMemcpy3DParms p = {host, dev, cudaMemcpyHostToDevice};
    cudaMemcpy3D(&p);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpy3D' blocks the host until the copy is done, on every iteration of the CUDA step loop; use 'cudaMemcpy3DAsync' on a stream
    cudaMemcpyToSymbol(Scale, host, n * sizeof(float));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpyToSymbol' blocks the host until the copy is done, on every iteration of the CUDA step loop; use 'cudaMemcpyToSymbolAsync' on a stream
    cudaMemcpyFromSymbol(host, Scale, sizeof(float) * 4);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemcpyFromSymbol' blocks the host until the copy is done, on every iteration of the CUDA step loop; use 'cudaMemcpyFromSymbolAsync' on a stream
    cudaMemset(dev, 0, n * sizeof(float));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaMemset' runs on the legacy default stream, which waits for the work of every other stream, on every iteration of the CUDA step loop; use 'cudaMemsetAsync' on the step's stream [cuda-memcpy-in-loop]
    // CHECK-MESSAGES: :[[@LINE-21]]:3: note: CUDA step loop starts here
  }
}

// A copy in a helper called from the loop is reported where it is, with the
// call that makes it hot.
void readBack(std::vector<float> &out, const float *dev) {
  cudaMemcpy(out.data(), dev, out.size() * sizeof(float),
             cudaMemcpyDeviceToHost);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'cudaMemcpy' blocks the host until the copy is done, on every iteration of the CUDA step loop
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the copy waits
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: 'readBack' is called here, on the CUDA step loop path
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: CUDA step loop starts here
}

void trainWithHelper(float *dev, std::vector<float> &out, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(dev, dev, n);
    readBack(out, dev);
  }
}

// The usual error-checking macro: the copy is reported where it is written.
#define CUDA_CHECK(call)                                                       \
  do {                                                                         \
    if ((call) != cudaSuccess)                                                 \
      return;                                                                  \
  } while (0)

void checked(float *dev, float *host, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(dev, dev, n);
    CUDA_CHECK(cudaMemcpy(host, dev, n, cudaMemcpyDeviceToHost));
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'cudaMemcpy' blocks the host
  }
}

//===--- Silent cases ---------------------------------------------------===//

// Setup loops launch nothing: loading weights layer by layer is not the hot
// path.
void loadWeights(std::vector<float *> &layers, const std::vector<float> &host,
                 int n) {
  for (float *layer : layers)
    cudaMemcpy(layer, host.data(), n * sizeof(float), cudaMemcpyHostToDevice);
}

// Before and after the loop: one copy each.
void copyAround(float *dev, float *host, int n) {
  cudaMemcpy(dev, host, n * sizeof(float), cudaMemcpyHostToDevice);
  for (int i = 0; i < 100; ++i)
    step<<<1, 1>>>(dev, dev, n);
  cudaMemcpy(host, dev, n * sizeof(float), cudaMemcpyDeviceToHost);
}

// Every 100 steps (or only the first): already amortized.
void gated(float *dev, float *host, int n) {
  for (int i = 0; i < 1000; ++i) {
    step<<<1, 1>>>(dev, dev, n);
    if (i % 100 == 0)
      cudaMemcpy(host, dev, n * sizeof(float), cudaMemcpyDeviceToHost);
    if (i == 0)
      CUDA_CHECK(cudaMemcpy(dev, host, n, cudaMemcpyHostToDevice));
  }
}

// Device to device: queued like a kernel, the host does not wait.
void deviceToDevice(float *a, float *b, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(a, b, n);
    cudaMemcpy(b, a, n * sizeof(float), cudaMemcpyDeviceToDevice);
  }
}

// cudaMemset does not block the host; in a loop that uses only the default
// stream, its stream costs nothing either.
void memsetOnDefaultStream(float *dev, int n) {
  for (int i = 0; i < 100; ++i) {
    cudaMemset(dev, 0, n * sizeof(float));
    step<<<1, 1>>>(dev, dev, n);
  }
}

// The asynchronous forms are what the check asks for.
void asyncCopies(float *dev, float *pinned, int n, cudaStream_t stream) {
  for (int i = 0; i < 100; ++i) {
    cudaMemcpyAsync(dev, pinned, n * sizeof(float), cudaMemcpyHostToDevice,
                    stream);
    cudaMemsetAsync(dev, 0, n, stream);
    step<<<1, 1, 0, stream>>>(dev, dev, n);
  }
}

// Suppressed by the user.
void suppressed(float *dev, float *host, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(dev, dev, n);
    cudaMemcpy(host, dev, n, cudaMemcpyDeviceToHost); // NOLINT(cuda-memcpy-in-loop)
  }
}

#endif // SMALL_UPLOADS_ONLY
