#!/usr/bin/env bash
# High-cardinality counts (issue 13): `--by-year -o` of a generated 3-gram
# corpus (600 MB, 16 M (n-gram, year) keys) next to DuckDB running the same
# GROUP BY ... ORDER BY to TSV, and `-f text --ngram 3` of 300 MB of
# generated text (30 M distinct 3-grams) next to the `wc -w` floor. Runs
# of one case are interleaved; the by-year outputs are checked to be
# byte-identical first.
#
# The `spill` case counts more than 100 M distinct keys with and without
# --memory-limit 1G: text 3-grams of 1.2 GB (118 M keys, the partitioned
# reduce) and --by-year of 3.8 GB of 2-grams (128 M keys, the ordered
# reduce), the latter next to DuckDB with and without SET memory_limit =
# '1GB'. Each limited output is compared with the unlimited one. It takes
# several minutes a round and 20 GB of disk; SPILL_REPEAT sets its rounds
# (default 1).
#
# DuckDB is the Node package: `npm install @duckdb/node-api` in a directory,
# then DUCKDB_DIR=that/directory. Without it the DuckDB rows are skipped.
#
#   bench/cardinality.sh
#   DUCKDB_DIR=/work/duck REPEAT=5 bench/cardinality.sh
#   CASES=text bench/cardinality.sh
#   DUCKDB_DIR=/work/duck CASES=spill bench/cardinality.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
cases=${CASES:-"by-year text spill"}
duckdb_dir=${DUCKDB_DIR:-}
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
mkdir -p bench/results datasets
g3=datasets/bench-3gram-600M.tsv text=datasets/bench-text-300M.txt
big_text=datasets/bench-text-1200M.txt g2=datasets/bench-2gram-3600M.tsv
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
      bench_input "$g3" --n 3 --size 600M --seed 5 "--by-year -o"
      ours="$ngfreq count -j 2 --progress none --by-year -o $out/ngfreq.tsv $g3"
      if have_duckdb; then
        theirs="DUCKDB_DIR=$duckdb_dir node bench/duckdb-count.mjs by-year $g3 $out/duckdb.tsv 2"
        same_then_measure 2 "$out/ngfreq.tsv" "$out/duckdb.tsv" "ngfreq --by-year -o" "$ours" \
          "DuckDB GROUP BY ngram, year ORDER BY" "$theirs"
      else
        echo "   (DuckDB skipped: set DUCKDB_DIR)"
        measure_interleaved 2 "ngfreq --by-year -o" "$ours"
      fi
      ;;
    text)
      bench_input "$text" -f text --size 300M --seed 9 "text 3-grams"
      measure_interleaved 2 \
        "floor: LC_ALL=C wc -w" "LC_ALL=C wc -w $text" \
        "ngfreq -f text --ngram 3 -t 10" "$ngfreq count -f text --ngram 3 -j 2 --progress none -t 10 $text" \
        "ngfreq -f text --ngram 3 -o" "$ngfreq count -f text --ngram 3 -j 2 --progress none -o $out/t3.tsv $text"
      ;;
    spill)
      [ -f "$big_text" ] || "$ngfreq" generate -f text --size 1200M --seed 11 -o "$big_text"
      [ -f "$g2" ] || "$ngfreq" generate --n 2 --size 3600M --seed 13 -o "$g2"
      saved_repeat=$repeat repeat=${SPILL_REPEAT:-1}
      echo "-- spill case: $repeat round(s) each, after a warm-up"
      # same_with_limit NAME CMD FILE: CMD with and without --memory-limit
      # 1G gives the same bytes.
      same_with_limit() {
        bytes=$(stat -L -c %s "$3")
        echo "-- $1: $3, $bytes bytes"
        bash -c "$2 $out/unlimited.tsv $3" && bash -c "$2 $out/limited.tsv --memory-limit 1G $3"
        cmp "$out/unlimited.tsv" "$out/limited.tsv" || { echo "--memory-limit 1G changed the output"; exit 1; }
        echo "   outputs byte-identical ($(wc -l < "$out/unlimited.tsv") rows)"
        rm -f "$out"/*.tsv
      }
      t3="$ngfreq count -f text --ngram 3 -j 2 --progress none -o"
      same_with_limit "text 3-grams, -o" "$t3" "$big_text"
      measure_interleaved 2 "ngfreq text --ngram 3 -o" "$t3 $out/unlimited.tsv $big_text" \
        "ngfreq text --ngram 3 -o --memory-limit 1G" "$t3 $out/limited.tsv --memory-limit 1G $big_text"
      rm -f "$out"/*.tsv
      by="$ngfreq count -j 2 --progress none --by-year -o"
      same_with_limit "--by-year -o" "$by" "$g2"
      cmds=("ngfreq --by-year -o" "$by $out/unlimited.tsv $g2"
            "ngfreq --by-year -o --memory-limit 1G" "$by $out/limited.tsv --memory-limit 1G $g2")
      if have_duckdb; then
        duck="DUCKDB_DIR=$duckdb_dir node bench/duckdb-count.mjs by-year $g2"
        cmds+=("DuckDB GROUP BY ngram, year ORDER BY" "$duck $out/duckdb.tsv 2")
        # DuckDB 1.5 at 1 GB sometimes stops with "failed to pin block":
        # such a run is said and left out rather than timed.
        if bash -c "$duck $out/duckdb-limited.tsv 2 1GB" > "$out/duckdb.err" 2>&1; then
          cmds+=("DuckDB, memory_limit 1GB" "$duck $out/duckdb-limited.tsv 2 1GB")
        else
          echo "   DuckDB with memory_limit 1GB failed: $(grep -m1 -o 'Error: [^(]*' "$out/duckdb.err")"
        fi
        rm -f "$out"/*.tsv
      fi
      measure_interleaved 2 "${cmds[@]}"
      repeat=$saved_repeat
      ;;
    *) echo "unknown case '$c' (by-year, text, spill)"; exit 2 ;;
  esac
done
echo "CSV: $csv"
