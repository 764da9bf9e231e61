//===--- Timing.h - does this loop measure its own time? --------*- C++ -*-===//
//
// A benchmark or a profiling loop synchronizes with the device on purpose:
// without the synchronization, the clock would measure how fast kernels are
// queued, not how fast they run. The checks that report explicit
// synchronizations in a hot loop (torch-sync-explicit, cuda-sync-in-loop)
// share one rule for recognising such a loop, so that they agree on it.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_TIMING_H
#define TRAINLINT_CHECKS_MODEL_TIMING_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

namespace trainlint {

/// Whether \p Call reads a clock or measures the time between two events:
/// - `std::chrono::<clock>::now()` (any clock of namespace std::chrono);
/// - `clock_gettime`, `gettimeofday`, `timespec_get` and `clock` (also spelled
///   `std::clock`), the C and POSIX clocks;
/// - `cudaEventElapsedTime`, `at::cuda::CUDAEvent::elapsed_time` and
///   `c10::Event::elapsedTime`, the elapsed time between two device events.
bool isTimingCall(const clang::CallExpr &Call);

/// Whether the loop \p Loop times itself: the statements that repeat (its
/// body, condition and increment, not a for-loop's init or a range-for's
/// range) make a call for which isTimingCall() holds, directly, in a lambda
/// written there, or in a function of the user's code that they call (at
/// most MaxTimingCallDepth calls deep; functions declared in system headers
/// are not followed). A call that the hot-path model finds under a condition
/// on the step counter (`if (step % 100 == 0)`, a throughput log line) does
/// not count: it times no single step. A synchronization inside such a loop
/// is there to make the measurement true, and the sync checks stay silent
/// about it.
///
/// \p Loop may also be any other statement; then all of it is searched.
bool loopTimesItself(const clang::Stmt &Loop, clang::ASTContext &Ctx);

/// How many calls deep loopTimesItself() follows the functions a loop calls,
/// so that a `double nowSeconds()` helper counts as reading the clock.
inline constexpr unsigned MaxTimingCallDepth = 2;

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_TIMING_H
