#!/usr/bin/env bash
# What the project-wide hot path costs on the multi-file example (real
# libtorch headers, five translation units):
# - the summary merge: `trainlint merge --summary` (join every unit's graph,
#   classify the project's loops, decide the deferred findings) over the
#   project run (`trainlint check -j 1`). Target: under 5%.
# - the project run over clang-tidy with the plugin, one file after the other
#   (the same checks, no graphs, no merge): what the workers' graph export and
#   the merge add together.
#
#   benchmarks/project-summary.sh [BUILD_DIR] [RUNS]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
runs="${2:-3}"
llvm_version="${TRAINLINT_LLVM_VERSION:-22}"
tidy="clang-tidy-$llvm_version"
plugin="$build/lib/TrainlintPlugin.so"
trainlint="$build/bin/trainlint"
flags=(-std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1 -isystem /usr/include/torch/csrc/api/include)

for tool in "$plugin" "$trainlint"; do
  if [ ! -e "$tool" ]; then
    echo "project-summary: no $tool; build first" >&2
    exit 2
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
files=("$root"/examples/multifile/*.cpp)
# shellcheck source=median-time.sh
source "$root/benchmarks/median-time.sh"
write_compile_database "$work" "${files[@]}" -- "${flags[@]}"

plugin_run() {
  for f in "${files[@]}"; do
    "$tidy" --load="$plugin" --checks='-*,torch-*,cuda-*' --quiet "$f" -- "${flags[@]}"
  done
}

cd "$root"
"$trainlint" check -p "$work" -j 1 --export-summary "$work/summary.json" \
  examples/multifile >/dev/null 2>&1 || true
project=$(median_time "$trainlint" check -p "$work" -j 1 examples/multifile)
merge=$(median_time "$trainlint" merge --summary "$work/summary.json")
tidy_time=$(median_time plugin_run)

printf '%-44s %8.3f s\n' "trainlint check -j 1 (project run)" "$project"
printf '%-44s %8.3f s\n' "trainlint merge --summary (the merge alone)" "$merge"
printf '%-44s %8.3f s\n' "clang-tidy with the plugin, file by file" "$tidy_time"
printf 'summary merge / project run: %.3f (target: under 0.05)\n' "$(echo "$merge / $project" | bc -l)"
printf 'project run / plugin runs:   %.3f\n' "$(echo "$project / $tidy_time" | bc -l)"
