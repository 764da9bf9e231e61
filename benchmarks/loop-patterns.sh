#!/usr/bin/env bash
# Builds and runs the loop-patterns benchmark: for each loop that a
# torch-loop-* check flags, the CPU time of the loop and of its rewrite, for
# loop lengths N from 64 to 4096, and their ratio. The checks' pages cite it.
# The target is not part of the default build; this builds it alone.
#
#   benchmarks/loop-patterns.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
rounds="${2:-15}"

if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "loop-patterns: no configured build in $build; run scripts/build.sh first" >&2
  exit 2
fi
if ! cmake --build "$build" --target loop_patterns; then
  echo "loop-patterns: could not build the loop_patterns target (is libtorch installed?)" >&2
  exit 2
fi
"$build/benchmarks/loop-patterns" "$rounds"
