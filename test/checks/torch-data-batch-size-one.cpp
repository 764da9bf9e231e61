// RUN: %check_trainlint %s torch-data-batch-size-one %t

#include <torch/torch.h>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: torch-data-batch-size-one has no test yet
