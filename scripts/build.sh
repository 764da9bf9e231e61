#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then configures and builds
# trainlint, its tests and the bundled examples into build/ (or $TRAINLINT_BUILD_DIR).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TRAINLINT_BUILD_DIR:-$root/build}"
llvm_version="${TRAINLINT_LLVM_VERSION:-22}"

"$root/scripts/setup.sh"

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="clang++-$llvm_version" \
    -DTRAINLINT_LLVM_VERSION="$llvm_version"
fi
cmake --build "$build" -- -j"$(nproc)"
