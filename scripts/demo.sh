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
