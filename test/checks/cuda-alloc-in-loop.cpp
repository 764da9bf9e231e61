// RUN: %check_trainlint %s cuda-alloc-in-loop %t

#include <cuda_runtime.h>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: cuda-alloc-in-loop has no test yet
