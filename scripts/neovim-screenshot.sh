#!/usr/bin/env bash
# Takes docs/images/neovim-lsp.png: Neovim in a real terminal (a detached tmux
# session of fixed size) with trainlint's diagnostics on
# examples/regression/train.cpp and the code-action menu open at the finding
# that has a fix-it. The pane is captured with its colours, turned into HTML
# (scripts/ansi_to_html.py) and rendered by headless Chromium.
#
#   scripts/neovim-screenshot.sh [--trainlint PATH] [--output PNG]
#                                [--capture TXT] [--torch-flags FLAGS]
#
#   --trainlint    the trainlint executable (default: build/bin/trainlint)
#   --output       the PNG to write (default: docs/images/neovim-lsp.png);
#                  without Chromium only the capture is taken
#   --capture      also keep the captured pane (ANSI colours) in TXT
#   --torch-flags  libtorch's compile flags for the example
#                  (default: Debian's libtorch-dev)
#
# Needs nvim, tmux and python3; exits with 1 and says why when a step fails.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trainlint="${repo_root}/build/bin/trainlint"
output="${repo_root}/docs/images/neovim-lsp.png"
capture_copy=""
torch_flags="-std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1 -isystem /usr/include/torch/csrc/api/include"
while (($#)); do
  case "$1" in
    --trainlint) trainlint="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --capture) capture_copy="$2"; shift 2 ;;
    --torch-flags) torch_flags="$2"; shift 2 ;;
    *) echo "neovim-screenshot: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for tool in nvim tmux python3; do
  command -v "$tool" >/dev/null || { echo "neovim-screenshot: '$tool' is not installed" >&2; exit 1; }
done
[ -x "$trainlint" ] || { echo "neovim-screenshot: no trainlint at '$trainlint'" >&2; exit 1; }
trainlint="$(cd "$(dirname "$trainlint")" && pwd)/$(basename "$trainlint")"

# The terminal: wide enough for the messages' beginnings, as tall as a laptop's.
columns=110
rows=34
inputs="${repo_root}/test/tool/Inputs/neovim"
work="$(mktemp -d)"
# A tmux server of our own, so that no other session is touched.
socket="trainlint-screenshot-$$"
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The example in a project of its own, with its compile database.
mkdir -p "$work/project/build" "$work/home"
cp "${repo_root}/examples/regression/train.cpp" "$work/project/train.cpp"
python3 - "$work/project" "$torch_flags" <<'EOF'
import json, shlex, sys
root, flags = sys.argv[1], shlex.split(sys.argv[2])
json.dump([{"directory": root, "file": "train.cpp",
            "arguments": ["clang++"] + flags + ["-c", "train.cpp"]}],
          open(root + "/build/compile_commands.json", "w"), indent=1)
EOF

state="$work/state"
tmux -L "$socket" -f /dev/null new-session -d -s screenshot -x "$columns" -y "$rows" \
  -c "$work/project" \
  env -i PATH="$PATH" HOME="$work/home" TERM=tmux-256color LANG=C.UTF-8 \
    XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data" \
    XDG_STATE_HOME="$work/home/state" XDG_CACHE_HOME="$work/home/cache" \
    TRAINLINT="$trainlint" TRAINLINT_BUILD_DIR="$work/project/build" \
    TRAINLINT_LSP_LOG="$work/lsp.log" TRAINLINT_FIX_CHECK=torch-sync-create-then-move \
    TRAINLINT_SCREENSHOT_STATE="$state" \
    nvim -n -i NONE --noplugin -u "$inputs/init.lua" \
      -c "luafile $inputs/open-code-actions.lua" train.cpp
tmux -L "$socket" set-option -g status off

# Wait for the menu: the state file says it was asked for, the pane shows it.
capture="$work/capture.txt"
deadline=$((SECONDS + 600))
while :; do
  if [ -s "$state" ] && grep -q '^error' "$state"; then
    echo "neovim-screenshot: $(cat "$state")" >&2
    [ -f "$work/lsp.log" ] && tail -20 "$work/lsp.log" >&2
    exit 1
  fi
  if [ -s "$state" ]; then
    tmux -L "$socket" capture-pane -p -t screenshot > "$work/plain.txt" || true
    if grep -q 'Type number and <Enter>' "$work/plain.txt"; then
      break
    fi
  fi
  if ((SECONDS > deadline)); then
    echo "neovim-screenshot: no code-action menu within 600 s" >&2
    [ -f "$work/lsp.log" ] && tail -20 "$work/lsp.log" >&2
    exit 1
  fi
  sleep 0.5
done
# Let the last redraw land before the capture.
sleep 1
tmux -L "$socket" capture-pane -e -p -t screenshot > "$capture"
if [ -n "$capture_copy" ]; then
  mkdir -p "$(dirname "$capture_copy")"
  cp "$capture" "$capture_copy"
fi

if ! command -v chromium >/dev/null; then
  echo "neovim-screenshot: chromium is not installed; captured the pane only" >&2
  exit 0
fi
python3 "${repo_root}/scripts/ansi_to_html.py" --columns "$columns" \
  --title "trainlint in Neovim" < "$capture" > "$work/capture.html"
size="$(python3 "${repo_root}/scripts/ansi_to_html.py" --columns "$columns" --print-size < "$capture")"
mkdir -p "$(dirname "$output")"
# Chromium writes the PNG and some noise on stderr; a missing PNG is the error.
rm -f "$output"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$work/chromium" --window-size="$size" \
  --screenshot="$output" "file://$work/capture.html" > "$work/chromium.log" 2>&1 || true
if [ ! -s "$output" ]; then
  echo "neovim-screenshot: chromium wrote no screenshot:" >&2
  tail -20 "$work/chromium.log" >&2
  exit 1
fi
echo "neovim-screenshot: wrote $output"
