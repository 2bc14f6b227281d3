#!/usr/bin/env bash
# End-to-end benchmark of `ngfreq count` on the generated 'a' profile (a
# stand-in for googlebooks-eng-all-1gram-20120701-a, 1.8 GB), plain and
# gzip, jobs 1 and 2, tree and serial reduce, next to the I/O floors: `cat`
# for the plain file and the fastest single-threaded inflater for gzip.
#
# Prints a table and writes bench/results/count-<time>.csv. Each figure is
# the median of REPEAT runs (default 3) after one warm-up; the page cache is
# warm, so this measures ngfreq, not the disk.
#
#   bench/run.sh                      # everything
#   CASES="plain" REPEAT=5 bench/run.sh
#   EXTRA_EXECUTORS="process" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
cases=${CASES:-"plain gzip"}
executors="thread ${EXTRA_EXECUTORS:-}"
data=${DATA:-datasets/googlebooks-eng-all-1gram-20120701-a}
mkdir -p bench/results datasets
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
[ -f "$data" ] || "$ngfreq" generate --profile a -o "$data"
[ -f "$data.gz" ] || "$ngfreq" generate --profile a --gzip -o "$data.gz"
bytes=$(stat -c %s "$data")
csv=bench/results/count-$(date +%Y%m%d-%H%M%S).csv
echo "case,command,jobs,median_wall_s,min_wall_s,max_wall_s,mb_per_s,peak_rss_mb" > "$csv"

cat "$data" "$data.gz" > /dev/null  # warm the page cache
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT

# measure NAME JOBS COMMAND...: median wall time and the largest peak RSS.
measure() {
  local name=$1 jobs=$2
  shift 2
  "$@" > /dev/null 2>&1 || { echo "FAILED: $*"; exit 1; }  # warm-up
  local walls=() rss=0
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f '%e %M' -o "$timing" "$@" > /dev/null 2>&1
    local out
    out=$(tail -n 1 "$timing")
    walls+=("${out% *}")
    local r=${out#* }
    [ "$r" -gt "$rss" ] && rss=$r
  done
  local sorted
  sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
  local median min max
  median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  min=$(echo "$sorted" | head -n 1)
  max=$(echo "$sorted" | tail -n 1)
  local mbps
  mbps=$(awk -v b="$bytes" -v s="$median" 'BEGIN {printf "%.0f", (s > 0 ? b / s / 1e6 : 0)}')
  local rss_mb=$(( rss / 1024 ))
  printf '%-46s %4s %8.2f s %7s MB/s %6s MB RSS\n' "$name" "$jobs" "$median" "$mbps" "$rss_mb"
  echo "$name,\"$*\",$jobs,$median,$min,$max,$mbps,$rss_mb" >> "$csv"
}

echo "ngfreq count on $data ($bytes bytes), $(nproc) cores, median of $repeat"
echo "(MB/s is uncompressed bytes over wall time, for gzip too)"
for c in $cases; do
  if [ "$c" = plain ]; then
    measure "floor: cat" 1 cat "$data"
    for ex in $executors; do for reduce in tree serial; do for j in 1 2; do
      measure "ngfreq -e $ex --reduce $reduce (plain)" "$j" "$ngfreq" count -e "$ex" --reduce "$reduce" -j "$j" --progress none -t 10 "$data"
    done; done; done
  else
    for tool in igzip pigz gzip; do
      command -v "$tool" > /dev/null && measure "floor: $tool -dc" 1 "$tool" -dc "$data.gz"
    done
    for ex in $executors; do for reduce in tree serial; do for j in 1 2; do
      measure "ngfreq -e $ex --reduce $reduce (gzip)" "$j" "$ngfreq" count -e "$ex" --reduce "$reduce" -j "$j" --progress none -t 10 "$data.gz"
    done; done; done
    measure "ngfreq --inflater zlib (gzip)" 2 "$ngfreq" count --inflater zlib -j 2 --progress none -t 10 "$data.gz"
  fi
done
echo "CSV: $csv"
