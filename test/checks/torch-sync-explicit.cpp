// RUN: %check_trainlint %s torch-sync-explicit %t

#include <torch/torch.h>
#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sys/time.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

void train(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  // Before the loop: runs once.
  torch::cuda::synchronize();

  for (int step = 0; step < 1000; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    torch::cuda::synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::cuda::synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the training loop; remove it, or order the work on the device with an event ('record()', then 'block()' on the waiting stream) [torch-sync-explicit]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    c10::cuda::device_synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c10::cuda::device_synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the training loop
    at::cuda::device_synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c10::cuda::device_synchronize()' blocks the host

    // Under a step-counter condition: amortized, and usually on purpose.
    if (step % 100 == 0)
      torch::cuda::synchronize();
    // The first step only: silent.
    if (step == 0)
      c10::cuda::device_synchronize();
  }

  // After the loop: runs once.
  torch::cuda::synchronize();
}

void streamsAndEvents(Net &model, torch::optim::Adam &optimizer,
                      torch::Tensor x) {
  c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool();
  at::cuda::CUDAEvent done;
  c10::Event generic;
  for (int step = 0; step < 1000; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    c10::cuda::getCurrentCUDAStream().synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'CUDAStream::synchronize()' blocks the host until the work queued on the stream has finished, on every iteration of the training loop; remove it, or order the work on the device with an event
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    at::cuda::CUDAStream current = at::cuda::getCurrentCUDAStream();
    current.synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'CUDAStream::synchronize()' blocks the host until the work queued on the stream has finished
    c10::Stream plain = side;
    plain.synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'Stream::synchronize()' blocks the host until the work queued on the stream has finished
    const c10::cuda::CUDAStream *pointer = &side;
    pointer->synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'CUDAStream::synchronize()' blocks

    done.record(side);
    done.synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'CUDAEvent::synchronize()' blocks the host until the work recorded before the event has finished, on every iteration of the training loop
    generic.synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'Event::synchronize()' blocks the host until the work recorded before the event has finished

    // The fix: the current stream waits for the side stream on the device,
    // and the host keeps queueing work.
    done.block(c10::cuda::getCurrentCUDAStream());
    // Asking whether work has finished does not wait: silent.
    if (side.query() && done.query())
      continue;
  }
}

// A stream class of the user's own that derives from the library's.
struct TaggedStream : c10::Stream {
  int Tag = 0;
};

void derived(Net &model, torch::optim::SGD &optimizer, torch::Tensor x,
             TaggedStream &stream) {
  for (int step = 0; step < 10; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    stream.synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'Stream::synchronize()' blocks the host until the work queued on the stream has finished
  }
}

// A helper called from the loop: the notes name the call chain.
void waitForDevice() {
  torch::cuda::synchronize();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'torch::cuda::synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+10]]:5: note: 'waitForDevice' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: training loop starts here
}

void trainWithHelper(Net &model, torch::optim::SGD &optimizer,
                     torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    waitForDevice();
  }
}

// A loop that reads a clock times its steps: the synchronization makes the
// measured time that of the device work, so it stays silent.
void benchmarkWithChrono(Net &model, torch::optim::SGD &optimizer,
                         torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    auto start = std::chrono::steady_clock::now();
    model->forward(x).sum().backward();
    optimizer.step();
    torch::cuda::synchronize();
    auto seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    std::printf("step %d took %f s\n", step, seconds);
  }
}

// Timing with device events: silent for the same reason.
void benchmarkWithEvents(Net &model, torch::optim::SGD &optimizer,
                         torch::Tensor x) {
  at::cuda::CUDAEvent start, stop;
  for (int step = 0; step < 100; ++step) {
    start.record();
    model->forward(x).sum().backward();
    optimizer.step();
    stop.record();
    stop.synchronize();
    std::printf("step %d took %f ms\n", step, start.elapsed_time(stop));
  }
}

// The CUDA runtime's event timer, and c10::Event's: silent.
void benchmarkWithRuntimeEvents(Net &model, torch::optim::SGD &optimizer,
                                torch::Tensor x, cudaEvent_t begin,
                                cudaEvent_t end, c10::Event &a, c10::Event &b) {
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    c10::cuda::getCurrentCUDAStream().synchronize();
    float ms = 0;
    cudaEventElapsedTime(&ms, begin, end);
    std::printf("%f %f\n", ms, a.elapsedTime(b));
  }
}

// The clock is read by a helper of the user's: still a timed loop, silent.
double nowSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}
void benchmarkWithHelper(Net &model, torch::optim::SGD &optimizer,
                         torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    double t0 = nowSeconds();
    model->forward(x).sum().backward();
    optimizer.step();
    torch::cuda::synchronize();
    std::printf("%f\n", nowSeconds() - t0);
  }
}

// A helper that synchronizes and times the step it is called for: silent.
void timedStep(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  timeval before, after;
  gettimeofday(&before, nullptr);
  model->forward(x).sum().backward();
  optimizer.step();
  torch::cuda::synchronize();
  gettimeofday(&after, nullptr);
}
void trainTimed(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100; ++step)
    timedStep(model, optimizer, x);
}

// Timing the whole epoch does not need a wait per step: the step loop itself
// reads no clock, so the per-step synchronization is reported.
void epochTimer(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    std::clock_t start = std::clock();
    for (int step = 0; step < 100; ++step) {
      model->forward(x).sum().backward();
      optimizer.step();
      torch::cuda::synchronize();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'torch::cuda::synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: training loop starts here
    }
    // Once per epoch, between the epoch's steps and its clock read: silent.
    torch::cuda::synchronize();
    std::printf("%f\n", double(std::clock() - start) / CLOCKS_PER_SEC);
  }
}

// A throughput log every 100 steps reads the clock, but times no single step:
// the per-step synchronization is reported.
void throughputLog(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  auto last = std::chrono::steady_clock::now();
  for (int step = 0; step < 1000; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    torch::cuda::synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::cuda::synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    if (step % 100 == 0) {
      auto now = std::chrono::steady_clock::now();
      std::printf("%f steps/s\n",
                  100 / std::chrono::duration<double>(now - last).count());
      last = now;
    }
  }
}

// A loop that neither trains nor evaluates is not the hot path.
void warmUp(const std::vector<c10::cuda::CUDAStream> &streams) {
  for (const auto &s : streams)
    s.synchronize();
}

// An evaluation loop over a data loader.
template <typename Loader> void evaluate(Net &model, Loader &loader) {
  torch::NoGradGuard noGrad;
  for (auto &batch : loader) {
    auto out = model->forward(batch.data);
    torch::cuda::synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::cuda::synchronize()' blocks the host until all work queued on the device has finished, on every iteration of the evaluation loop
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: evaluation loop starts here
  }
}

void runEvaluation(Net &model) {
  auto loader =
      torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  evaluate(model, *loader);
}

// A function template instantiated twice: one finding at its one place.
template <typename Optimizer>
void trainGeneric(Net &model, Optimizer &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    c10::cuda::device_synchronize();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c10::cuda::device_synchronize()' blocks the host
  }
}
void runGeneric(Net &model, torch::optim::SGD &sgd, torch::optim::Adam &adam,
                torch::Tensor x) {
  trainGeneric(model, sgd, x);
  trainGeneric(model, adam, x);
}

// Macros: reported where the call is spelled, or at the macro's use.
#define WAIT_ALL() torch::cuda::synchronize()
#define DISCARD(expr) (void)(expr)
void withMacros(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    model->forward(x).sum().backward();
    optimizer.step();
    WAIT_ALL();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::cuda::synchronize()' blocks the host
    DISCARD(c10::cuda::getCurrentCUDAStream().synchronize());
    // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'CUDAStream::synchronize()' blocks the host
  }
}
