// A check held back by trainlint.Level, as clang-tidy shows it: clang-tidy 22
// lists it under "Enabled checks" whatever the level, since it makes that list
// from the globs and the registered names alone (docs/clang-tidy.md says why
// a plugin cannot change that); the held-back check reports nothing, and
// --dump-config names no held-back check. Globs that leave it out make the
// list agree.
//
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-*' --list-checks | %FileCheck %s --check-prefix=LISTED
// LISTED: Enabled checks:
// LISTED: torch-sync-data-dependent-shape
//
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-*' --dump-config | %FileCheck %s --check-prefix=DUMP --implicit-check-not=data-dependent-shape
// DUMP: Checks: {{.*}}-*,torch-sync-*'
//
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-*,-torch-sync-data-dependent-shape' --list-checks | %FileCheck %s --check-prefix=EXACT --implicit-check-not=data-dependent-shape
// EXACT: Enabled checks:
// EXACT: torch-sync-item
//
// Listed or not, at the default level it reports nothing; at level 2 it runs.
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-*' %s -- -std=c++17 -I%mock -I%mock/torch 2>&1 | %FileCheck %s --check-prefix=DEFAULT --allow-empty --implicit-check-not=data-dependent-shape
// RUN: %clang_tidy --load=%plugin --checks='-*,torch-sync-*' --config='{CheckOptions: {trainlint.Level: 2}}' %s -- -std=c++17 -I%mock -I%mock/torch 2>&1 | %FileCheck %s --check-prefix=LEVEL2

#include <torch/torch.h>

torch::Device pickDevice() { return torch::Device(torch::kCUDA); }

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x) {
  for (int step = 0; step < 1000; ++step) {
    auto out = model->forward(x);
    auto idx = out.nonzero();
    // LEVEL2: :[[@LINE-1]]:20: warning: 'nonzero()' has an output size that depends on tensor values{{.*}}[torch-sync-data-dependent-shape]
    auto loss = (out + idx).sum();
    loss.backward();
    optimizer.step();
  }
}
// DEFAULT-NOT: warning:
