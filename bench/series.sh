#!/usr/bin/env bash
# ngfreq series against a full count (issue 15): on the 1.8 GB `a` profile
# (scripts/demo makes it), 2 jobs, runs interleaved:
#   - `count -o` of every n-gram, and `count --by-year -o` (every n-gram's
#     years: what a series would otherwise be cut from);
#   - series of 100 plain queries, of 1,000 queries from a words file, and
#     of one wildcard query (a 3-letter prefix, --expand 10);
#   - `wc -l` of the file, the floor of any pass over it.
# Queries are n-grams of the file, every k-th distinct one, so each matches.
#
# BY_YEAR=0 leaves the --by-year count out: its 4 GB, freed, make the run
# after it pay to fault memory in again on a VM.
#
#   bench/series.sh
#   REPEAT=5 BY_YEAR=0 bench/series.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
data=${DATA:-datasets/googlebooks-eng-all-1gram-20120701-a}
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
mkdir -p bench/results datasets
[ -f "$data" ] || "$ngfreq" generate --profile a -o "$data"
out=$(mktemp -d)
source bench/measure.sh
trap 'rm -rf "$out" "$timing"' EXIT
csv=bench/results/series-$(date +%Y%m%d-%H%M%S).csv
echo "case,command,jobs,median_wall_s,min_wall_s,max_wall_s,mb_per_s,peak_rss_mb" > "$csv"
bytes=$(stat -L -c %s "$data")
cat "$data" > /dev/null

cut -f1 "$data" | uniq > "$out/ngrams"
distinct=$(wc -l < "$out/ngrams")
awk -v k=$((distinct / 100)) 'NR % k == 0' "$out/ngrams" | head -n 100 > "$out/q100"
awk -v k=$((distinct / 1000)) 'NR % k == 0' "$out/ngrams" | head -n 1000 > "$out/q1000"
prefix=$(grep -m 1 '^[A-Za-z]\{3\}' "$out/q100" | cut -c1-3)
echo "series vs count, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), median of $repeat"
echo "-- $data: $bytes bytes, $distinct n-grams; wildcard '$prefix*'"
s="$ngfreq series -j 2 --progress none"
by_year=()
[ "${BY_YEAR:-1}" = 0 ] ||
  by_year=("count --by-year -o" "$ngfreq count -j 2 --progress none --by-year -o $out/by-year.tsv $data")
measure_interleaved 2 \
  "count -o (every n-gram)" "$ngfreq count -j 2 --progress none -o $out/count.tsv $data" "${by_year[@]}" \
  "series, 100 queries" "$s --words-file $out/q100 -o $out/s100.tsv $data" \
  "series, 1000 queries" "$s --words-file $out/q1000 -o $out/s1000.tsv $data" \
  "series, wildcard $prefix*" "$s -w '$prefix*' -o $out/wild.tsv $data" \
  "wc -l (floor)" "wc -l $data"
echo "CSV: $csv"
