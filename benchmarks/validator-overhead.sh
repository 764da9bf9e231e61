#!/usr/bin/env bash
# Prints what the runtime validator costs the program it observes: the wall
# time of a smoke run with the runtime preloaded over the time of the same
# run without it (the program runs the same optimizer steps both ways), for
# each bundled example. Target for the smoke run: at most 1.30.
#
# Also printed, for information: the same ratio over a long run (steady
# state, where the fixed cost of loading vanishes and the per-operator cost
# shows), and `trainlint validate` end to end (run, symbolization, reports).
#
#   benchmarks/validator-overhead.sh [BUILD_DIR] [STEPS] [RUNS]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
steps="${2:-20}"
runs="${3:-5}"
long_steps=2000
runtime="$build/lib/libtrainlint_runtime.so"
trainlint="$build/bin/trainlint"

for needed in "$runtime" "$build/examples/regression/train"; do
  if [ ! -e "$needed" ]; then
    echo "validator-overhead: no $needed; build the runtime and the examples first" >&2
    exit 2
  fi
done

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf '{"version": 1, "tool": {"name": "trainlint", "version": "0"}, "findings": [], "errors": []}\n' \
  > "$scratch/findings.json"

# The medians of the wall time and of the CPU time (user + system) of
# running a command $runs times, in seconds: "WALL CPU". On a shared machine
# the CPU time is the steadier of the two.
median_times() {
  local walls=() cpus=()
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %U %S' -o "$scratch/time" "$@" >/dev/null 2>&1 || true
    read -r wall user sys < <(tail -n 1 "$scratch/time")
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
  done
  local median='{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | awk "$median")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | awk "$median")"
}

# The program with the runtime preloaded: env, then TRAINLINT_RUNTIME_STEPS
# (0: never stop) and the command.
observed=(env "LD_PRELOAD=$runtime" "TRAINLINT_RUNTIME_OUT=$scratch/data.json")

row() {
  local label="$1" plain="$2" with="$3" note="${4:-}"
  local pw pc ww wc
  read -r pw pc <<<"$plain"
  read -r ww wc <<<"$with"
  printf '%-32s %9.3f %9.3f %6.2f %9.3f %9.3f %6.2f%s\n' "$label" "$pw" "$ww" \
    "$(echo "$ww / $pw" | bc -l)" "$pc" "$wc" "$(echo "$wc / $pc" | bc -l)" "$note"
}

if ! [ -x /usr/bin/time ]; then
  echo "validator-overhead: needs /usr/bin/time (GNU time)" >&2
  exit 2
fi
printf '%-32s %9s %9s %6s %9s %9s %6s\n' "run" "wall" "observed" "ratio" "cpu" \
  "observed" "ratio"
worst=0
for example in regression classifier; do
  program="$build/examples/$example/train"
  [ -x "$program" ] || continue
  if [ "$example" = regression ]; then
    # The smoke run stops at the start of step STEPS+2: STEPS+1 optimizer
    # steps ran (the first one is not measured).
    plain=$(median_times "$program" "$((steps + 1))")
    with=$(median_times "${observed[@]}" "TRAINLINT_RUNTIME_STEPS=$steps" "$program" 100000)
    label="$example, $steps-step smoke"
  else
    # Two epochs of 16 batches each, run to the end both ways.
    plain=$(median_times "$program" 2)
    with=$(median_times "${observed[@]}" TRAINLINT_RUNTIME_STEPS=0 "$program" 2)
    label="$example, 2 epochs"
  fi
  row "$label" "$plain" "$with"
  if [ ! -s "$scratch/data.json" ]; then
    echo "validator-overhead: the runtime wrote no data for $example: nothing was observed" >&2
    exit 1
  fi
  rm -f "$scratch/data.json"
  ratio=$(echo "$(cut -d' ' -f1 <<<"$with") / $(cut -d' ' -f1 <<<"$plain")" | bc -l)
  if (($(echo "$ratio > $worst" | bc -l))); then worst=$ratio; fi
  if [ "$example" = regression ]; then
    row "$example, $long_steps steps" "$(median_times "$program" "$long_steps")" \
      "$(median_times "${observed[@]}" TRAINLINT_RUNTIME_STEPS=0 "$program" "$long_steps")" "  steady state"
  fi
done

if [ -x "$trainlint" ]; then
  whole=$(median_times "$trainlint" validate --findings "$scratch/findings.json" \
    --steps "$steps" --report "$scratch/report.json" \
    --html "$scratch/report.html" -- "$build/examples/regression/train" 100000)
  printf 'trainlint validate end to end, regression, %s steps: %.3f s wall\n' \
    "$steps" "$(cut -d' ' -f1 <<<"$whole")"
fi
printf 'smoke-run wall-time ratio, worst: %.2f (target: at most 1.30)\n' "$worst"
