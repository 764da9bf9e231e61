#!/usr/bin/env bash
# How long the editor waits for trainlint's diagnostics on a libtorch file,
# next to clangd's on the same file: the first analysis (the preamble, the
# includes at the top, built) and the analyses after EDITS edits below the
# includes (the preamble reused), each a new function at the end of the file.
# clangd is timed by a scripted LSP client (benchmarks/lsp-client.py) from
# didOpen or didChange to its publishDiagnostics. trainlint is timed
# in-process by the lsp_latency program (the editor server's analysis,
# lsp/BufferAnalyzer.h), and, when the executable has `trainlint lsp`, by the
# same client as clangd. docs/performance.md ("In the editor") cites it.
#
#   benchmarks/lsp-latency.sh [BUILD_DIR] [FILE] [EDITS]
#
# CLANGD names the clangd (default clangd-22), CLANGD_ARGS adds to its
# arguments (for example --clang-tidy=false: clangd otherwise runs the
# clang-tidy checks of the file's .clang-tidy, as in an editor).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
file="${2:-$root/examples/regression/train.cpp}"
edits="${3:-5}"
clangd="${CLANGD:-clangd-22}"

if [ ! -f "$build/compile_commands.json" ]; then
  echo "lsp-latency: no compile_commands.json in $build; configure with scripts/build.sh first" >&2
  exit 2
fi
if ! command -v "$clangd" >/dev/null; then
  echo "lsp-latency: $clangd not found; set CLANGD to a clangd executable" >&2
  exit 2
fi
if ! cmake --build "$build" --target lsp_latency >/dev/null; then
  echo "lsp-latency: could not build the lsp_latency target" >&2
  exit 2
fi

client="python3 $root/benchmarks/lsp-client.py"
echo "file: $file ($edits edits below the includes)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
trainlint_times=$("$build/benchmarks/lsp-latency" -p "$build" "$file" "$edits" | awk '{print $2}')
server_times=""
if "$build/bin/trainlint" lsp --help >/dev/null 2>&1; then
  server_times=$($client "$file" "$edits" -- "$build/bin/trainlint" lsp -p "$build" | awk '{print $2}')
fi
clangd_times=$($client "$file" "$edits" -- "$clangd" --compile-commands-dir="$build" \
  --background-index=false --log=error ${CLANGD_ARGS:-} | awk '{print $2}')

python3 - "$trainlint_times" "$server_times" "$clangd_times" <<'PY'
import statistics, sys
trainlint, server, clangd = ([float(t) for t in a.split()] for a in sys.argv[1:])
names = ["first"] + ["edit %d" % i for i in range(1, len(trainlint))]
head = "%-12s %10s" % ("analysis", "trainlint")
if server:
    head += " %14s" % "trainlint lsp"
print(head + " %10s %8s" % ("clangd-22", "ratio"))
def row(name, t, s, c):
    line = "%-12s %9.3fs" % (name, t)
    if server:
        line += " %13.3fs" % s
    # The ratio compares what the editor sees: the server when there is one.
    ours = s if server else t
    print(line + " %9.3fs %8.2f" % (c, ours / c))
for i, name in enumerate(names):
    row(name, trainlint[i], server[i] if server else 0, clangd[i])
if len(names) > 1:
    row("edit median", statistics.median(trainlint[1:]),
        statistics.median(server[1:]) if server else 0,
        statistics.median(clangd[1:]))
PY
