#!/usr/bin/env bash
# Builds the Debian package trainlint_<version>_amd64.deb with CPack, from
# build/ (or $TRAINLINT_BUILD_DIR), into OUTPUT_DIR (default: build/packages).
#
#   scripts/package.sh [--no-build] [OUTPUT_DIR]
#
# scripts/build.sh first builds what is missing; --no-build packages the build
# as it is. dpkg-shlibdeps (dpkg-dev, installed by scripts/setup.sh) computes
# the library dependencies; cmake/TrainlintInstall.cmake says what goes in.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TRAINLINT_BUILD_DIR:-$root/build}"
do_build=1
if [ "${1:-}" = "--no-build" ]; then
  do_build=0
  shift
fi
out="${1:-$build/packages}"

if ((do_build)); then
  "$root/scripts/build.sh"
fi
if [ ! -f "$build/CPackConfig.cmake" ]; then
  echo "package: error: $build is not a configured build directory" >&2
  exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# CPack stages the install in OUTPUT_DIR/_CPack_Packages and leaves the
# build directory alone.
(cd "$build" && cpack --config CPackConfig.cmake -B "$out")
rm -rf "$out/_CPack_Packages"
ls "$out"/trainlint_*.deb
