#!/usr/bin/env bash
# The benchmark suite: every performance target of docs/performance.md,
# measured side by side in one run on the real libtorch examples.
# - per file: the checks plus the parse over the parse (processor time; target
#   at most 1.10), by tidy-overhead.sh;
# - per file: the peak memory of the analysis over that of the parse (target
#   at most 1.2);
# - a project of eight libtorch files: `trainlint check -j 2` over
#   `run-clang-tidy -load <plugin> -j 2` with the same checks (wall time;
#   target at least 2x), with a cold cache and a warm one (target under 1 s),
#   then after an edit to one file (only it is analyzed again);
# - each check's own cost (`clang-tidy --enable-check-profile`), worst first.
# Times are medians of RUNS runs, the contenders alternating, since the shared
# machine's speed changes from one run to the next.
#
#   benchmarks/suite.sh [BUILD_DIR] [RUNS] [SECTIONS]
# SECTIONS, comma-separated, picks some of: overhead, memory, project, checks
# (default: all).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
runs="${2:-3}"
sections=",${3:-overhead,memory,project,checks},"
llvm_version="${TRAINLINT_LLVM_VERSION:-22}"
tidy="clang-tidy-$llvm_version"
run_tidy="run-clang-tidy-$llvm_version"
clangxx="clang++-$llvm_version"
plugin="$build/lib/TrainlintPlugin.so"
trainlint="$build/bin/trainlint"
checks='-*,torch-*,cuda-*'
flags=(-std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1 -isystem /usr/include/torch/csrc/api/include)

for tool in "$plugin" "$trainlint"; do
  if [ ! -e "$tool" ]; then
    echo "suite: no $tool; build first" >&2
    exit 2
  fi
done

# shellcheck source=median-time.sh
source "$root/benchmarks/median-time.sh"

section() { printf '\n== %s\n' "$1"; }
# wanted NAME: whether SECTIONS names NAME.
wanted() { [[ "$sections" == *",$1,"* ]]; }

if wanted overhead; then
section "per file: processor time of the checks and the parse over the parse"
"$root/benchmarks/tidy-overhead.sh" "$build" "$runs"
fi

if wanted memory; then
section "per file: peak memory of the analysis over the parse's"
# peak_kib CMD... prints the largest resident set CMD reached, in KiB.
peak_kib() {
  /usr/bin/time -f '%M' -o /dev/stdout "$@" 2>/dev/null | tail -n 1
}
printf '%-36s %12s %12s %7s\n' "example" "parse (MiB)" "tidy (MiB)" "ratio"
for example in "$root"/examples/*/train.cpp; do
  parse=$(peak_kib "$clangxx" -fsyntax-only "${flags[@]}" "$example")
  analysis=$(peak_kib "$tidy" --load="$plugin" --checks="$checks" --quiet "$example" -- "${flags[@]}")
  printf '%-36s %12.0f %12.0f %7.3f\n' "${example#$root/}" "$((parse / 1024))" \
    "$((analysis / 1024))" "$(echo "$analysis / $parse" | bc -l)"
done
echo "target: at most 1.2"
fi

if wanted project; then
section "a project of 8 libtorch files, -j 2"
# The five files of the multi-file example, the two single-file examples and a
# copy of one of them under another name: eight translation units that begin
# with libtorch's headers, each its own file in the compile database.
project="$build/bench-project"
rm -rf "$project"
mkdir -p "$project/src"
cp -R "$root/examples/multifile" "$root/examples/regression" "$root/examples/classifier" "$project/src/"
cp "$project/src/regression/train.cpp" "$project/src/regression/train_again.cpp"
mapfile -t files < <(find "$project/src" -name '*.cpp' | sort)
write_compile_database "$project" "${files[@]}" -- "${flags[@]}"
echo "${#files[@]} translation units"

tidy_project() {
  "$run_tidy" -clang-tidy-binary "$(command -v "$tidy")" -load "$plugin" -checks="$checks" \
    -j 2 -quiet -p "$project" >/dev/null 2>&1 || true
}
trainlint_project() {
  (cd "$project" && "$trainlint" check -p . -j 2 --project-root . "$@" >/dev/null 2>&1) || true
}
cold_trainlint() {
  rm -rf "$project/.trainlint-cache"
  trainlint_project
}
tidy_times=() cold_times=() warm_times=()
for ((i = 0; i < runs; i++)); do
  # One run each, so that the three alternate.
  tidy_times+=("$(runs=1 median_time tidy_project)")
  cold_times+=("$(runs=1 median_time cold_trainlint)")
  warm_times+=("$(runs=1 median_time trainlint_project)")
done
tidy_time=$(printf '%s\n' "${tidy_times[@]}" | median)
cold=$(printf '%s\n' "${cold_times[@]}" | median)
warm=$(printf '%s\n' "${warm_times[@]}" | median)
printf '%-48s %8.2f s\n' "run-clang-tidy -load <plugin> -j 2" "$tidy_time"
printf '%-48s %8.2f s  %5.2fx (target: at least 2x)\n' "trainlint check -j 2, cold cache" "$cold" \
  "$(echo "$tidy_time / $cold" | bc -l)"
printf '%-48s %8.2f s  (target: under 1 s)\n' "trainlint check -j 2, warm cache" "$warm"

section "the same project after an edit to one file"
echo "// edited" >>"$project/src/multifile/log.cpp"
start=$(date +%s.%N)
# The run exits with 1 for its findings.
stats=$( (cd "$project" && "$trainlint" check -p . -j 2 --project-root . --stats 2>&1 >/dev/null) |
  grep 'translation units' || true)
end=$(date +%s.%N)
printf '%-48s %8.2f s\n' "trainlint check -j 2, log.cpp edited" "$(echo "$end - $start" | bc -l)"
echo "$stats"
fi

if wanted checks; then
section "each check's own cost on examples/regression/train.cpp, worst first"
"$tidy" --load="$plugin" --checks="$checks" --quiet --enable-check-profile \
  "$root/examples/regression/train.cpp" -- "${flags[@]}" 2>&1 >/dev/null |
  python3 -c '
import re, sys
# Each row ends with the wall time, its share, and the check name.
rows = [(m.group(2), float(m.group(1))) for line in sys.stdin
        for m in [re.search(r"([0-9.]+) \(\s*[0-9.]+%\)\s+((?:torch|cuda)-\S+)\s*$", line)] if m]
for name, seconds in sorted(rows, key=lambda r: -r[1]):
    print(f"{name:<44} {seconds * 1000:8.2f} ms")
total = sum(r[1] for r in rows)
print(f"{str():<44} {total * 1000:8.2f} ms in all")'
fi
