#!/usr/bin/env bash
# Rows per second into an SQLite database (-o FILE.sqlite) against the TSV
# listing of the same count, and against sqlite3's own `.import` of that
# TSV into the same table (a peer: SQLite's CLI loading the rows itself).
# Rows/s is over the output phase that `--stats` reports (the merge and
# the writing; the map is the same for both), median of $REPEAT runs
# interleaved. Data: a generated v2 file, 200 MB unless DATA names one.
#
#   bench/sqlite.sh
#   REPEAT=5 DATA=datasets/googlebooks-eng-all-1gram-20120701-a bench/sqlite.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
command -v sqlite3 > /dev/null || { echo "needs the sqlite3 command (apt-get install sqlite3)"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
data=${DATA:-$out/bench.v2}
[ -f "$data" ] || "$ngfreq" generate --size 200M -o "$data" 2> /dev/null
mkdir -p bench/results
csv=bench/results/sqlite-$(date +%Y%m%d-%H%M%S).csv
echo "case,rows,median_output_s,min_output_s,max_output_s,rows_per_s" > "$csv"
echo "SQLite vs TSV output, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), median of $repeat"
echo "-- $data: $(stat -L -c %s "$data") bytes"

# output_seconds ARGS...: the output phase of one count, from --stats.
output_seconds() {
  "$ngfreq" count --progress none --stats "$@" 2>&1 > /dev/null | sed -n 's/.*output \([0-9.]*\) s).*/\1/p'
}
# import_seconds TSV BY_YEAR: sqlite3 loading the TSV into the same table.
import_seconds() {
  local schema="CREATE TABLE ngrams(ngram TEXT PRIMARY KEY, total INTEGER, volumes INTEGER) WITHOUT ROWID;"
  [ "$2" = 1 ] && schema="CREATE TABLE ngrams(ngram TEXT, year INTEGER, total INTEGER, volumes INTEGER, PRIMARY KEY (ngram, year)) WITHOUT ROWID;"
  rm -f "$out/import.sqlite"
  local start end
  start=$(date +%s.%N)
  sqlite3 "$out/import.sqlite" "PRAGMA journal_mode=OFF;" "PRAGMA synchronous=OFF;" "$schema" ".mode tabs" ".import $1 ngrams" > /dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
}

for by_year in 0 1; do
  flag=()
  [ $by_year = 1 ] && flag=(--by-year)
  label=$([ $by_year = 1 ] && echo "--by-year" || echo "totals")
  "$ngfreq" count --progress none "${flag[@]}" --volumes -o "$out/rows.tsv" "$data"
  rows=$(wc -l < "$out/rows.tsv")
  declare -A times=()
  for _ in $(seq "$repeat"); do
    times[tsv]+="$(output_seconds "${flag[@]}" --volumes -o "$out/rows.tsv" "$data") "
    times[sqlite]+="$(output_seconds "${flag[@]}" -o "$out/rows.sqlite" "$data") "
    times[import]+="$(import_seconds "$out/rows.tsv" $by_year) "
  done
  for kind in tsv sqlite import; do
    name="$label: $(case $kind in tsv) echo "count -o rows.tsv" ;; sqlite) echo "count -o rows.sqlite" ;;
      import) echo "sqlite3 .import of rows.tsv" ;; esac)"
    read -r median min max <<< "$(echo "${times[$kind]}" | tr ' ' '\n' | grep . | sort -n |
      awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}')"
    rate=$(awk -v r="$rows" -v s="$median" 'BEGIN {printf "%.0f", (s > 0 ? r / s : 0)}')
    printf '%-48s %10d rows %8.3f s %12s rows/s\n' "$name" "$rows" "$median" "$rate"
    echo "\"$name\",$rows,$median,$min,$max,$rate" >> "$csv"
  done
  unset times
done
echo "CSV: $csv"
