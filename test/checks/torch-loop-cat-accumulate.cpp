// RUN: %check_trainlint %s torch-loop-cat-accumulate %t

#include <torch/torch.h>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: torch-loop-cat-accumulate has no test yet
