#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test trainlint,
# and only that: running it again installs nothing.
#
#   scripts/setup.sh                 everything: build, test, package
#   scripts/setup.sh --for-install   only what building and installing need
#                                    (ci/install-trainlint.sh)
set -euo pipefail

for_install=0
case "${1:-}" in
  --for-install) for_install=1 ;;
  "") ;;
  *) echo "setup: unknown argument '$1' (expected --for-install or nothing)" >&2; exit 2 ;;
esac

LLVM_VERSION="${TRAINLINT_LLVM_VERSION:-22}"
packages=(
  "clang-${LLVM_VERSION}" "clang-tidy-${LLVM_VERSION}" "libclang-${LLVM_VERSION}-dev"
  "llvm-${LLVM_VERSION}-dev" "llvm-${LLVM_VERSION}-tools"
  libtorch-dev libfmt-dev ninja-build cmake python3
)
if ((!for_install)); then
  # The tests' own needs, dpkg-shlibdeps (dpkg-dev) for the Debian
  # package (scripts/package.sh, test/tool/package.test), and the editor
  # test's Neovim under tmux (test/tool/lsp-neovim.test).
  packages+=(libspdlog-dev libgtest-dev libgmock-dev dpkg-dev neovim tmux)
fi

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

if ((for_install)); then exit 0; fi

# --- SARIF validator (begin) -------------------------------------------------
# Microsoft's SARIF Multitool validates `trainlint check --format sarif` in the
# test suite (test/tool/sarif.test). It comes from the npm registry into
# .tools/sarif-multitool, which git ignores, and only when it is missing.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sarif_dir="${repo_root}/.tools/sarif-multitool"
sarif_tool="${sarif_dir}/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -e "$sarif_tool" ]; then
  if ! command -v npm >/dev/null; then
    echo "setup: installing npm"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q npm
  fi
  echo "setup: installing @microsoft/sarif-multitool into ${sarif_dir}"
  mkdir -p "$sarif_dir"
  npm install --prefix "$sarif_dir" --no-audit --no-fund --no-save @microsoft/sarif-multitool
fi
# npm holds back the package's install script, which would do this.
chmod u+x "$sarif_tool"
# --- SARIF validator (end) ---------------------------------------------------
