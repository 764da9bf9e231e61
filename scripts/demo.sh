#!/usr/bin/env bash
# Installs what is missing, builds trainlint, and runs it on the bundled
# example training programs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TRAINLINT_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh"

cd "$root"
status=0
"$build/bin/trainlint" check -p "$build" examples/ || status=$?
# trainlint exits 1 when it reports findings, which is what the demo shows.
if [ "$status" -gt 1 ]; then
  exit "$status"
fi

# The validator on the finetune example: the optimizer family's findings,
# confirmed by a short run that goes on through the evaluation after the
# first epoch, with the loss curve in the HTML report.
if [ -x "$build/examples/finetune/train" ] && [ -f "$build/lib/libtrainlint_runtime.so" ]; then
  findings="$build/finetune-findings.json"
  "$build/bin/trainlint" check -p "$build" --format json -o "$findings" \
    examples/finetune/train.cpp || [ $? -eq 1 ]
  "$build/bin/trainlint" validate --findings "$findings" --steps 4 \
    --html "$build/finetune-report.html" -- "$build/examples/finetune/train" || [ $? -eq 1 ]
  echo "the validator's report: $build/finetune-report.html"
fi
