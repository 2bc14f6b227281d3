#!/usr/bin/env bash
# End-to-end benchmark of `ngfreq count` on the generated 'a' profile (a
# stand-in for googlebooks-eng-all-1gram-20120701-a, 1.8 GB), plain and
# gzip, jobs 1 and 2, auto (partitioned, or tree with processes), tree and serial reduce, next to the I/O floors: `cat`
# for the plain file and the fastest single-threaded inflater for gzip.
#
# Prints a table and writes bench/results/count-<time>.csv. Each figure is
# the median of REPEAT runs (default 3) after one warm-up; the page cache is
# warm, so this measures ngfreq, not the disk. With EXTRA_EXECUTORS, the
# executors' runs of one case alternate, so that they compare fairly.
#
# The v3 and text cases use about 200 MB generated inputs: v3 against the
# same corpus as v2 (time per byte), text against `wc -w`. The duckdb case
# (not in the default set) times `-o` of the plain file next to DuckDB's
# GROUP BY ngram ORDER BY ngram to TSV, interleaved, after checking that
# the two outputs are byte-identical; DUCKDB_DIR is where
# `npm install @duckdb/node-api` ran.
#
#   bench/run.sh                      # everything
#   CASES="plain" REPEAT=5 bench/run.sh
#   CASES="v3 text" bench/run.sh
#   DUCKDB_DIR=/work/duck CASES=duckdb REPEAT=5 bench/run.sh
#   EXTRA_EXECUTORS="process" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
cases=${CASES:-"plain gzip v3 text"}
executors="thread ${EXTRA_EXECUTORS:-}"
data=${DATA:-datasets/googlebooks-eng-all-1gram-20120701-a}
mkdir -p bench/results datasets
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
needs() { case " $cases " in *" $1 "*) return 0 ;; esac; return 1; }
if needs plain || needs gzip || needs duckdb; then
  [ -f "$data" ] || "$ngfreq" generate --profile a -o "$data"
  [ -f "$data.gz" ] || "$ngfreq" generate --profile a --gzip -o "$data.gz"
fi
v2_twin=datasets/bench-v2.tsv v3=datasets/bench-v3.tsv text=datasets/bench-text.txt
if needs v3; then
  # One corpus in both layouts: v3 holds it in about half the bytes.
  [ -f "$v2_twin" ] || "$ngfreq" generate --size 420M --seed 11 -o "$v2_twin"
  [ -f "$v3" ] || "$ngfreq" generate -f v3 --size 420M --seed 11 -o "$v3"
fi
needs text && { [ -f "$text" ] || "$ngfreq" generate -f text --size 200M --seed 11 -o "$text"; }
csv=bench/results/count-$(date +%Y%m%d-%H%M%S).csv
echo "case,command,jobs,median_wall_s,min_wall_s,max_wall_s,mb_per_s,peak_rss_mb" > "$csv"

for f in "$data" "$data.gz" "$v2_twin" "$v3" "$text"; do [ -f "$f" ] && cat "$f" > /dev/null; done  # warm the page cache
source bench/measure.sh

# measure_executors NAME JOBS ARGS...: `ngfreq count -e EX ARGS...` for each
# of $executors, their runs interleaved (thread, process, thread, ...) so
# that the VM's speed, which drifts by 10% and more over minutes, weighs on
# each executor alike: run back to back, the comparison measured the drift.
measure_executors() {
  local name=$1 jobs=$2
  shift 2
  local ex
  declare -A all_walls all_rss
  for ex in $executors; do "$ngfreq" count -e "$ex" "$@" > /dev/null 2>&1 || { echo "FAILED: -e $ex $*"; exit 1; }; done
  for _ in $(seq "$repeat"); do
    for ex in $executors; do
      walls=() rss=${all_rss[$ex]:-0}
      time_once "$ngfreq" count -e "$ex" "$@"
      all_walls[$ex]+="${walls[0]} "
      all_rss[$ex]=$rss
    done
  done
  for ex in $executors; do
    read -r -a walls <<< "${all_walls[$ex]}"
    rss=${all_rss[$ex]}
    report "ngfreq -e $ex $name" "$jobs" "$ngfreq" count -e "$ex" "$@"
  done
}

echo "ngfreq count, $(nproc) cores, median of $repeat"
echo "(MB/s is uncompressed bytes over wall time, for gzip too)"
for c in $cases; do
  if [ "$c" = v3 ]; then
    bytes=$(stat -c %s "$v2_twin")
    echo "-- v3 against v2: one corpus, v2 $bytes bytes, v3 $(stat -c %s "$v3") bytes"
    for j in 1 2; do
      measure "ngfreq -f v2 (v3's twin)" "$j" "$ngfreq" count -j "$j" --progress none -t 10 "$v2_twin"
      v2_per_byte=$(awk -v s="$median" -v b="$bytes" 'BEGIN { print s / b }')
      bytes=$(stat -c %s "$v3")
      measure "ngfreq -f v3" "$j" "$ngfreq" count -j "$j" --progress none -t 10 "$v3"
      awk -v s="$median" -v b="$bytes" -v r="$v2_per_byte" -v j="$j" \
        'BEGIN { printf "   v3 time per byte / v2 time per byte, %d jobs: %.2f\n", j, s / b / r }'
      bytes=$(stat -c %s "$v2_twin")
    done
    continue
  fi
  if [ "$c" = text ]; then
    bytes=$(stat -c %s "$text")
    echo "-- text: $text, $bytes bytes, $(wc -w < "$text") words"
    measure "floor: wc -w" 1 wc -w "$text"
    measure "floor: LC_ALL=C wc -w" 1 env LC_ALL=C wc -w "$text"
    for j in 1 2; do
      measure "ngfreq -f text" "$j" "$ngfreq" count -f text -j "$j" --progress none -t 10 "$text"
    done
    measure "ngfreq -f text --tokenizer word" 2 "$ngfreq" count -f text --tokenizer word -j 2 --progress none -t 10 "$text"
    measure "ngfreq -f text --ignore-case" 2 "$ngfreq" count -f text --ignore-case -j 2 --progress none -t 10 "$text"
    continue
  fi
  bytes=$(stat -c %s "$data")
  if [ "$c" = duckdb ]; then
    [ -d "${DUCKDB_DIR:-}/node_modules/@duckdb/node-api" ] || { echo "-- duckdb: set DUCKDB_DIR"; continue; }
    out=$(mktemp -d)
    ours="$ngfreq count -j 2 --progress none -o $out/ngfreq.tsv $data"
    theirs="DUCKDB_DIR=$DUCKDB_DIR node bench/duckdb-count.mjs totals $data $out/duckdb.tsv 2"
    echo "-- -o of $data"
    same_then_measure 2 "$out/ngfreq.tsv" "$out/duckdb.tsv" "ngfreq -o" "$ours" "DuckDB GROUP BY ngram ORDER BY" "$theirs"
    rm -rf "$out"
    continue
  fi
  if [ "$c" = plain ]; then
    measure "floor: cat" 1 cat "$data"
    for reduce in auto tree serial; do for j in 1 2; do
      measure_executors "--reduce $reduce (plain)" "$j" --reduce "$reduce" -j "$j" --progress none -t 10 "$data"
    done; done
  else
    for tool in igzip pigz gzip; do
      command -v "$tool" > /dev/null && measure "floor: $tool -dc" 1 "$tool" -dc "$data.gz"
    done
    for reduce in auto tree serial; do for j in 1 2; do
      measure_executors "--reduce $reduce (gzip)" "$j" --reduce "$reduce" -j "$j" --progress none -t 10 "$data.gz"
    done; done
    measure "ngfreq --inflater zlib (gzip)" 2 "$ngfreq" count --inflater zlib -j 2 --progress none -t 10 "$data.gz"
  fi
done
echo "CSV: $csv"
