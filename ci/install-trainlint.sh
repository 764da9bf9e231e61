#!/usr/bin/env bash
# Installs trainlint from this checkout into a prefix: what the GitHub Action
# (action.yml) and the GitLab template (ci/gitlab-trainlint.yml) run when
# trainlint is not on the PATH, and what a person can run too.
#
#   ci/install-trainlint.sh --prefix DIR [--build-dir DIR] [--no-build] [--skip-setup]
#   ci/install-trainlint.sh --cache-key
#
#   --cache-key      print the key under which CI caches the installed prefix:
#                    trainlint's version, the LLVM major version and a hash of
#                    the sources, so that a new release or a change of the
#                    action's checkout installs afresh.
#   --prefix DIR     where to install: DIR/bin/trainlint, DIR/lib/trainlint/, ...
#   --build-dir DIR  the build directory to use (default: build-install/ in this
#                    checkout). One already configured is used as it is, so a
#                    developer's build/ installs without a second build.
#   --no-build       install the build directory as it is, without building
#                    (it must be built already); the test suite installs its
#                    own build this way.
#   --skip-setup     do not run scripts/setup.sh (the packages are there).
#
# scripts/setup.sh first installs the packages trainlint builds and runs with.
# A prefix that already holds bin/trainlint (a CI cache hit) is then used as it
# is. Otherwise the build directory is configured when it is not yet (Release,
# without the tests and the examples), the executable, the plugin and the
# runtime are built (nothing to do when the build is up to date), and
# `cmake --install` puts them into the prefix. The last line printed is the prefix's bin/ folder, which is
# also added to $GITHUB_PATH when that is set (GitHub Actions).
set -euo pipefail

source_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix=""
print_cache_key=0
build_dir="$source_root/build-install"
build=1
setup=1
llvm_version="${TRAINLINT_LLVM_VERSION:-22}"

usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}
while (($#)); do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --build-dir) build_dir="${2:?--build-dir needs a folder}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --skip-setup) setup=0; shift ;;
    --cache-key) print_cache_key=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install-trainlint: error: unknown argument '$1'" >&2; usage ;;
  esac
done
if ((print_cache_key)); then
  version="$(sed -n 's/^project(trainlint VERSION \([0-9.]*\).*/\1/p' "$source_root/CMakeLists.txt")"
  sources_hash="$(cd "$source_root" &&
    find CMakeLists.txt cmake checks tool runtime scripts/setup.sh -type f -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  echo "trainlint-$version-llvm$llvm_version-$(uname -m)-$sources_hash"
  exit 0
fi
if [ -z "$prefix" ]; then
  echo "install-trainlint: error: --prefix is required" >&2
  usage
fi
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"

publish() {
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$prefix/bin" >> "$GITHUB_PATH"; fi
  echo "$prefix/bin"
}

# The packages come first even for an installed prefix: a cache restores
# trainlint, not the libraries it runs with (LLVM, libtorch), which a fresh
# CI container lacks. With them present, this only asks dpkg.
if ((setup)); then
  "$source_root/scripts/setup.sh" --for-install >&2
fi

if [ -x "$prefix/bin/trainlint" ]; then
  echo "install-trainlint: $("$prefix/bin/trainlint" --version | head -n 1) is already in $prefix" >&2
  publish
  exit 0
fi

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  if ((!build)); then
    echo "install-trainlint: error: $build_dir is not a configured build directory" >&2
    exit 2
  fi
  echo "install-trainlint: configuring $build_dir" >&2
  cmake -S "$source_root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="clang++-$llvm_version" \
    -DTRAINLINT_LLVM_VERSION="$llvm_version" \
    -DTRAINLINT_BUILD_TESTS=OFF -DTRAINLINT_BUILD_EXAMPLES=OFF >&2
fi

if ((build)); then
  # What `cmake --install` installs, and nothing else of a developer's build.
  targets=(trainlint trainlint_plugin trainlint_checks_module)
  if [ -d "$build_dir/runtime/CMakeFiles/trainlint_runtime.dir" ]; then
    targets+=(trainlint_runtime)
  fi
  echo "install-trainlint: building ${targets[*]} in $build_dir" >&2
  cmake --build "$build_dir" --target "${targets[@]}" >&2
fi

cmake --install "$build_dir" --prefix "$prefix" >&2
echo "install-trainlint: $("$prefix/bin/trainlint" --version | head -n 1) installed in $prefix" >&2
publish
