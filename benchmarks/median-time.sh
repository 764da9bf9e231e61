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
