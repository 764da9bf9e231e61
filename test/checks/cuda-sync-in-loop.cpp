// RUN: %check_trainlint %s cuda-sync-in-loop %t --cuda

#include <cuda_runtime.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sys/time.h>

__global__ void step(float *x, int n);

// cuBLAS computes launch kernels, so a loop that calls one is a step loop.
extern "C" int cublasSgemm_v2(void *handle, int m, int n, int k, const float *a,
                              float *c);

void waits(float *x, int n, cudaStream_t stream, cudaEvent_t done) {
  for (int i = 0; i < 100; ++i) {
    step<<<n / 256, 256, 0, stream>>>(x, n);
    cudaDeviceSynchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaDeviceSynchronize' blocks the host until all work on the device is done, on every iteration of the CUDA step loop; rely on stream order and synchronize every N steps or after the loop [cuda-sync-in-loop]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: while the host waits it queues no work, so the device idles between steps; kernels and asynchronous copies on one stream already run in order
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
    cudaStreamSynchronize(stream);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaStreamSynchronize' blocks the host until all work queued on the stream is done, on every iteration of the CUDA step loop; rely on stream order
    cudaEventRecord(done, stream);
    cudaEventSynchronize(done);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaEventSynchronize' blocks the host until the event has completed, on every iteration of the CUDA step loop
    cudaThreadSynchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaThreadSynchronize' blocks the host until all work on the device is done
  }
}

// Launches through the runtime's API, graphs and cuBLAS make step loops too,
// whatever the loop's shape.
void otherLaunches(const void *kernel, void **args, cudaGraphExec_t graph,
                   cudaStream_t stream, float *a, float *c) {
  int step = 0;
  while (step < 10) {
    cudaLaunchKernel(kernel, dim3(64), dim3(256), args, 0, stream);
    cudaStreamSynchronize(stream);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaStreamSynchronize' blocks the host
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: CUDA step loop starts here
    ++step;
  }
  do {
    cudaGraphLaunch(graph, stream);
    cudaDeviceSynchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaDeviceSynchronize' blocks the host
  } while (++step < 20);
  for (float *batch : {a, c}) {
    cublasSgemm_v2(nullptr, 64, 64, 64, batch, c);
    cudaDeviceSynchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaDeviceSynchronize' blocks the host
  }
}

// A libtorch training loop is hot too.
struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};
void trainTorch(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    cudaDeviceSynchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaDeviceSynchronize' blocks the host until all work on the device is done, on every iteration of the training loop
  }
}

// A wait in a helper called from the loop is reported where it is, with the
// call that makes it hot.
void waitForStep(cudaStream_t stream) {
  cudaStreamSynchronize(stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cudaStreamSynchronize' blocks the host
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: 'waitForStep' is called here, on the CUDA step loop path
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: CUDA step loop starts here
}

void trainWithHelper(float *x, int n, cudaStream_t stream) {
  for (int i = 0; i < 100; ++i) {
    step<<<n / 256, 256, 0, stream>>>(x, n);
    waitForStep(stream);
  }
}

// The usual error-checking macro: the wait is reported where it is written.
#define CUDA_CHECK(call)                                                       \
  do {                                                                         \
    cudaError_t err = (call);                                                  \
    if (err != cudaSuccess)                                                    \
      std::abort();                                                            \
  } while (0)

void checked(float *x, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(x, n);
    CUDA_CHECK(cudaDeviceSynchronize());
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'cudaDeviceSynchronize' blocks the host
  }
}

// A macro that launches and waits, used once, is no loop: `do ... while (0)`
// runs its body once. Silent.
#define LAUNCH_AND_WAIT(...)                                                   \
  do {                                                                         \
    __VA_ARGS__;                                                               \
    CUDA_CHECK(cudaDeviceSynchronize());                                       \
  } while (0)

void launchOnce(float *x, int n) { LAUNCH_AND_WAIT(step<<<1, 1>>>(x, n)); }

// In a template, reported once, for the instantiation.
template <typename T> void generic(T *x, int n) {
  for (int i = 0; i < n; ++i) {
    step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaDeviceSynchronize' blocks the host
  }
}
template void generic<float>(float *, int);

//===--- Silent cases ---------------------------------------------------===//

// Setup and teardown loops launch nothing: they are not the hot path.
void setup(int devices) {
  for (int d = 0; d < devices; ++d) {
    cudaSetDevice(d);
    cudaDeviceSynchronize();
  }
}

// Before and after the loop: one wait each.
void oneWaitAfter(float *x, int n, cudaStream_t stream) {
  cudaStreamSynchronize(stream);
  for (int i = 0; i < 100; ++i)
    step<<<1, 1, 0, stream>>>(x, n);
  cudaStreamSynchronize(stream);
}

// Once per epoch, around the step loop: amortized over the epoch's steps.
void perEpoch(float *x, int n) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (int i = 0; i < 100; ++i)
      step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize();
  }
}

// Every 100 steps (or only on the first): already amortized.
void gated(float *x, int n) {
  for (int i = 0; i < 1000; ++i) {
    step<<<1, 1>>>(x, n);
    if (i % 100 == 0)
      cudaDeviceSynchronize();
    if (i == 0)
      CUDA_CHECK(cudaDeviceSynchronize());
  }
}

// Benchmarks wait on purpose: without the wait the clock would measure how
// fast kernels are queued, not how fast they run.
void timedWithEvents(float *x, int n, cudaEvent_t start, cudaEvent_t stop) {
  for (int i = 0; i < 100; ++i) {
    cudaEventRecord(start);
    step<<<1, 1>>>(x, n);
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
    std::printf("%f ms\n", ms);
  }
}

void timedWithChrono(float *x, int n) {
  for (int i = 0; i < 100; ++i) {
    auto begin = std::chrono::steady_clock::now();
    step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize();
    auto end = std::chrono::high_resolution_clock::now();
    (void)begin;
    (void)end;
  }
}

void timedWithPosixClocks(float *x, int n) {
  timespec ts;
  timeval tv;
  for (int i = 0; i < 100; ++i) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize();
  }
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize();
    gettimeofday(&tv, nullptr);
  }
  for (int i = 0; i < 100; ++i) {
    std::clock_t t = std::clock();
    step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize();
    (void)t;
  }
}

// A helper that times what it waits for, called from the loop.
double timeStep(float *x, int n) {
  auto begin = std::chrono::steady_clock::now();
  step<<<1, 1>>>(x, n);
  cudaDeviceSynchronize();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
      .count();
}
void benchmark(float *x, int n) {
  double total = 0;
  for (int i = 0; i < 100; ++i)
    total += timeStep(x, n);
  std::printf("%f\n", total);
}

// Not the CUDA runtime: a function of the user's own with the same name.
namespace mine {
void cudaDeviceSynchronize();
} // namespace mine
void notTheRuntime(float *x, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(x, n);
    mine::cudaDeviceSynchronize();
  }
}

// Suppressed by the user.
void suppressed(float *x, int n) {
  for (int i = 0; i < 100; ++i) {
    step<<<1, 1>>>(x, n);
    cudaDeviceSynchronize(); // NOLINT(cuda-sync-in-loop)
  }
}

// The step's kernels are launched by a function of another file (a layer's
// forward in a .cu file): device memory from cudaMalloc and a stream go to
// it on every iteration, so the loop is a CUDA step loop.
void layer_forward(float *weights, float *activations, cudaStream_t stream);
void stepsElsewhere(int steps, cudaStream_t stream) {
  float *weights = nullptr;
  float *activations = nullptr;
  cudaMalloc((void **)&weights, 4096);
  cudaMalloc((void **)&activations, 4096);
  for (int i = 0; i < steps; ++i) {
    layer_forward(weights, activations, stream);
    cudaStreamSynchronize(stream);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cudaStreamSynchronize' blocks the host until all work queued on the stream is done, on every iteration of the CUDA step loop
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: while the host waits
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: CUDA step loop starts here
  }
  // Silent: a setup loop that allocates and fills one buffer per layer
  // launches nothing.
  float *layers[4];
  for (int i = 0; i < 4; ++i) {
    cudaMalloc((void **)&layers[i], 4096);
    cudaMemset(layers[i], 0, 4096);
    cudaDeviceSynchronize();
  }
}

// Silent: an epoch loop that zeroes the gradients with a kernel of its own,
// around a batch loop that is the step loop, waits once per epoch.
void epochs(float *grads, int n, int epochs, int batches) {
  for (int epoch = 0; epoch < epochs; ++epoch) {
    step<<<1, 256>>>(grads, n);
    for (int b = 0; b < batches; ++b)
      step<<<n / 256, 256>>>(grads, n);
    cudaDeviceSynchronize();
  }
}
