// RUN: %check_trainlint %s torch-loop-per-element %t

#include <torch/torch.h>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: torch-loop-per-element has no test yet
