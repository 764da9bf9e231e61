// trainlint.Level decides which levels a glob enables; a bad value is
// reported and the default used.
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-*' --config="{CheckOptions: {trainlint.Level: 0}}" %s -- -std=c++17 -I%mock 2>&1 | %FileCheck %s --check-prefix=LEVEL0 --allow-empty --implicit-check-not='warning:'
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-*' %s -- -std=c++17 -I%mock 2>&1 | %FileCheck %s --check-prefix=LEVEL1 --implicit-check-not='warning:'
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-*' --config="{CheckOptions: {trainlint.Level: bogus}}" %s -- -std=c++17 -I%mock 2>&1 | %FileCheck %s --check-prefix=BOGUS

#include <torch/torch.h>

void train(torch::Tensor x, torch::optim::SGD &opt) {
  for (int step = 0; step < 10; ++step) {
    opt.zero_grad();
    x.backward();
    opt.step();
    float v = x.item<float>();
    (void)v;
  }
  auto y = x.cuda();
}

// Level 0 keeps only the checks with no false positives: none of the
// torch-sync checks is at level 0 yet, so nothing is reported.
// LEVEL0-NOT: warning:
// LEVEL1: :[[@LINE-9]]:17: warning: 'item()' reads a tensor's value on the host
// BOGUS: invalid value 'bogus' for 'trainlint.Level': expected 0, 1, 2 or manual; using 1
// BOGUS: :[[@LINE-11]]:17: warning: 'item()' reads a tensor's value on the host
