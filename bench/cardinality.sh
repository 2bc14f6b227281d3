#!/usr/bin/env bash
# High-cardinality counts (issue 13): `--by-year -o` of a generated 3-gram
# corpus (600 MB, 16 M (n-gram, year) keys) next to DuckDB running the same
# GROUP BY ... ORDER BY to TSV, and `-f text --ngram 3` of 300 MB of
# generated text (30 M distinct 3-grams) next to the `wc -w` floor. Runs
# of one case are interleaved; the by-year outputs are checked to be
# byte-identical first.
#
# DuckDB is the Node package: `npm install @duckdb/node-api` in a directory,
# then DUCKDB_DIR=that/directory. Without it the DuckDB rows are skipped.
#
#   bench/cardinality.sh
#   DUCKDB_DIR=/work/duck REPEAT=5 bench/cardinality.sh
#   CASES=text bench/cardinality.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
cases=${CASES:-"by-year text"}
duckdb_dir=${DUCKDB_DIR:-}
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
mkdir -p bench/results datasets
g3=datasets/bench-3gram-600M.tsv text=datasets/bench-text-300M.txt
out=$(mktemp -d)
source bench/measure.sh
trap 'rm -rf "$out" "$timing"' EXIT
csv=bench/results/cardinality-$(date +%Y%m%d-%H%M%S).csv
echo "case,command,jobs,median_wall_s,min_wall_s,max_wall_s,mb_per_s,peak_rss_mb" > "$csv"
have_duckdb() { [ -n "$duckdb_dir" ] && [ -d "$duckdb_dir/node_modules/@duckdb/node-api" ]; }

echo "high-cardinality counts, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), median of $repeat"
for c in $cases; do
  case $c in
    by-year)
      [ -f "$g3" ] || "$ngfreq" generate --n 3 --size 600M --seed 5 -o "$g3"
      bytes=$(stat -L -c %s "$g3")
      cat "$g3" > /dev/null
      echo "-- --by-year -o: $g3, $bytes bytes"
      ours="$ngfreq count -j 2 --progress none --by-year -o $out/ngfreq.tsv $g3"
      if have_duckdb; then
        theirs="DUCKDB_DIR=$duckdb_dir node bench/duckdb-by-year.mjs $g3 $out/duckdb.tsv 2"
        bash -c "$ours" && bash -c "$theirs"
        cmp "$out/ngfreq.tsv" "$out/duckdb.tsv" || { echo "ngfreq and DuckDB disagree"; exit 1; }
        echo "   outputs byte-identical ($(wc -l < "$out/ngfreq.tsv") rows)"
        measure_interleaved 2 "ngfreq --by-year -o" "$ours" "DuckDB GROUP BY ngram, year ORDER BY" "$theirs"
      else
        echo "   (DuckDB skipped: set DUCKDB_DIR)"
        measure_interleaved 2 "ngfreq --by-year -o" "$ours"
      fi
      ;;
    text)
      [ -f "$text" ] || "$ngfreq" generate -f text --size 300M --seed 9 -o "$text"
      bytes=$(stat -L -c %s "$text")
      cat "$text" > /dev/null
      echo "-- text 3-grams: $text, $bytes bytes"
      measure_interleaved 2 \
        "floor: LC_ALL=C wc -w" "LC_ALL=C wc -w $text" \
        "ngfreq -f text --ngram 3 -t 10" "$ngfreq count -f text --ngram 3 -j 2 --progress none -t 10 $text" \
        "ngfreq -f text --ngram 3 -o" "$ngfreq count -f text --ngram 3 -j 2 --progress none -o $out/t3.tsv $text"
      ;;
    *) echo "unknown case '$c' (by-year, text)"; exit 2 ;;
  esac
done
echo "CSV: $csv"
