# Timing helpers sourced by the bench scripts: run a command, keep its wall
# time and peak RSS, print a row and append it to $csv. The caller sets
# $csv (with its header line), $repeat and $bytes (what MB/s divides).
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT

# bench_input FILE GENERATE_ARGS... LABEL: generates FILE with `$ngfreq
# generate GENERATE_ARGS -o FILE` unless it exists, warms the page cache,
# sets $bytes (what MB/s divides) and prints "-- LABEL: FILE, N bytes".
bench_input() {
  local file=$1 label=${*: -1}
  local -a args=("${@:2:$#-2}")
  [ -f "$file" ] || "$ngfreq" generate "${args[@]}" -o "$file"
  bytes=$(stat -L -c %s "$file")
  cat "$file" > /dev/null
  echo "-- $label: $file, $bytes bytes"
}

# time_once COMMAND...: runs it once; appends its wall time to $walls and
# raises $rss to its peak RSS (KB).
time_once() {
  /usr/bin/time -f '%e %M' -o "$timing" "$@" > /dev/null 2>&1 || { echo "FAILED: $*"; exit 1; }
  local out
  out=$(tail -n 1 "$timing")
  walls+=("${out% *}")
  [ "${out#* }" -gt "$rss" ] && rss=${out#* }
  return 0
}

# report NAME JOBS COMMAND...: prints and records the median, min and max
# of $walls and the peak $rss; MB/s is $bytes over the median. Sets $median.
report() {
  local name=$1 jobs=$2
  shift 2
  local sorted min max
  sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
  median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  min=$(echo "$sorted" | head -n 1)
  max=$(echo "$sorted" | tail -n 1)
  local mbps
  mbps=$(awk -v b="$bytes" -v s="$median" 'BEGIN {printf "%.0f", (s > 0 ? b / s / 1e6 : 0)}')
  local rss_mb=$(( rss / 1024 ))
  printf '%-46s %4s %8.2f s %7s MB/s %6s MB RSS\n' "$name" "$jobs" "$median" "$mbps" "$rss_mb"
  echo "\"$name\",\"$*\",$jobs,$median,$min,$max,$mbps,$rss_mb" >> "$csv"
}

# measure NAME JOBS COMMAND...: one warm-up, then $repeat timed runs.
measure() {
  local name=$1 jobs=$2
  shift 2
  "$@" > /dev/null 2>&1 || { echo "FAILED: $*"; exit 1; }  # warm-up
  walls=() rss=0
  for _ in $(seq "$repeat"); do time_once "$@"; done
  report "$name" "$jobs" "$@"
}


# measure_interleaved JOBS NAME1 CMD1 NAME2 CMD2 ...: each CMD a string run
# by bash; one warm-up each, then $repeat rounds that run every command
# once in turn, so that a drift in the VM's speed weighs on each alike.
measure_interleaved() {
  local jobs=$1
  shift
  local -a names=() cmds=()
  while [ $# -gt 0 ]; do names+=("$1") cmds+=("$2"); shift 2; done
  local i
  declare -A all_walls all_rss
  for i in "${!cmds[@]}"; do bash -c "${cmds[$i]}" > /dev/null 2>&1 || { echo "FAILED: ${cmds[$i]}"; exit 1; }; done
  for _ in $(seq "$repeat"); do
    for i in "${!cmds[@]}"; do
      walls=() rss=${all_rss[$i]:-0}
      time_once bash -c "${cmds[$i]}"
      all_walls[$i]+="${walls[0]} "
      all_rss[$i]=$rss
    done
  done
  for i in "${!cmds[@]}"; do
    read -r -a walls <<< "${all_walls[$i]}"
    rss=${all_rss[$i]}
    report "${names[$i]}" "$jobs" "${cmds[$i]}"
  done
}

# same_then_measure JOBS OUT_A OUT_B NAME_A CMD_A NAME_B CMD_B: runs both
# commands once and checks that they wrote the same bytes (OUT_A, OUT_B),
# then times them interleaved as measure_interleaved does.
same_then_measure() {
  local jobs=$1 a=$2 b=$3
  shift 3
  bash -c "$2" && bash -c "$4"
  cmp "$a" "$b" || { echo "$1 and $3 disagree"; exit 1; }
  echo "   outputs byte-identical ($(wc -l < "$a") rows)"
  measure_interleaved "$jobs" "$@"
}
