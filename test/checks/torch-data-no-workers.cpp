// RUN: %check_trainlint %s torch-data-no-workers %t

#include <torch/torch.h>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: torch-data-no-workers has no test yet
