#!/usr/bin/env bash
# Installs what is missing, builds trainlint, and runs every test: the unit
# tests, the per-check lit tests (mock headers), the real-header suite, the
# tool and validator tests.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TRAINLINT_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh"

ctest --test-dir "$build" --output-on-failure
