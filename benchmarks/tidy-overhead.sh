#!/usr/bin/env bash
# Prints, for each real-header example, the processor time clang-tidy takes
# with every trainlint check over the time `clang++ -fsyntax-only` takes with
# the same flags: the parse is the floor, the ratio is what the checks add.
# Target: at most 1.10.
#
#   benchmarks/tidy-overhead.sh [BUILD_DIR] [RUNS]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
runs="${2:-5}"
llvm_version="${TRAINLINT_LLVM_VERSION:-22}"
tidy="clang-tidy-$llvm_version"
clangxx="clang++-$llvm_version"
plugin="$build/lib/TrainlintPlugin.so"
flags=(-std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1 -isystem /usr/include/torch/csrc/api/include)

if [ ! -f "$plugin" ]; then
  echo "tidy-overhead: no plugin at $plugin; build first" >&2
  exit 2
fi

# shellcheck source=median-time.sh
source "$root/benchmarks/median-time.sh"

printf '%-36s %10s %10s %7s\n' "example" "parse (s)" "tidy (s)" "ratio"  # CPU seconds
worst=0
for example in "$root"/examples/*/train.cpp; do
  # The two alternate, so that a change in the machine's speed during the
  # run weighs on both alike, and each is timed by the processor time it
  # used.
  parses=() tidies=()
  for ((i = 0; i < runs; i++)); do
    parses+=("$(cpu_time "$clangxx" -fsyntax-only "${flags[@]}" "$example")")
    tidies+=("$(cpu_time "$tidy" --load="$plugin" --checks='-*,torch-*,cuda-*' \
      --quiet "$example" -- "${flags[@]}")")
  done
  parse=$(printf '%s\n' "${parses[@]}" | median)
  tidy_time=$(printf '%s\n' "${tidies[@]}" | median)
  ratio=$(echo "$tidy_time / $parse" | bc -l)
  printf '%-36s %10.3f %10.3f %7.3f\n' "${example#$root/}" "$parse" "$tidy_time" "$ratio"
  worst=$(echo "if ($ratio > $worst) $ratio else $worst" | bc -l)
done
printf 'worst ratio: %.3f (target: at most 1.10)\n' "$worst"
