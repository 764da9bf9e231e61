#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test trainlint,
# and only that: running it again installs nothing.
set -euo pipefail

LLVM_VERSION="${TRAINLINT_LLVM_VERSION:-22}"
packages=(
  "clang-${LLVM_VERSION}" "clang-tidy-${LLVM_VERSION}" "libclang-${LLVM_VERSION}-dev"
  "llvm-${LLVM_VERSION}-dev" "llvm-${LLVM_VERSION}-tools"
  libtorch-dev libfmt-dev libgtest-dev libgmock-dev ninja-build cmake python3
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}"
else
  echo "setup: all packages present"
fi
