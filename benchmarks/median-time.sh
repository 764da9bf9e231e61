# Sourced by the benchmark scripts: median_time CMD... prints the median wall
# time, in seconds, of running CMD $runs times (its output and exit status
# ignored).
median_time() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# cpu_time CMD... prints the processor time, user plus system, in seconds,
# that running CMD takes (its output and exit status ignored). Unlike wall
# time it does not count the time the machine gives to other work.
cpu_time() {
  local TIMEFORMAT='%U %S' spent
  spent=$({ time "$@" >/dev/null 2>&1 || true; } 2>&1)
  echo "$spent" | awk '{print $1 + $2}'
}

# median reads numbers, one a line, and prints their median.
median() {
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# write_compile_database DIR FILES... -- FLAGS... writes DIR/compile_commands.json
# with one entry per file: clang++, FLAGS, -c and the file, run from DIR.
write_compile_database() {
  python3 - "$@" <<'PY'
import json, sys
args = sys.argv[1:]
directory, rest = args[0], args[1:]
at = rest.index("--")
files, flags = rest[:at], rest[at + 1:]
json.dump([{"directory": directory, "file": f, "arguments": ["clang++"] + flags + ["-c", f]}
           for f in files], open(directory + "/compile_commands.json", "w"), indent=1)
PY
}
