// RUN: %check_trainlint %s torch-data-no-pin-memory %t

#include <torch/torch.h>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: torch-data-no-pin-memory has no test yet
