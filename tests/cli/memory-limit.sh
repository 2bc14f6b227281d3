# --memory-limit and --temp-dir: a high-cardinality count (text 3-grams,
# --by-year) against independent references, with no limit, a limit that
# spills part of the runs and one that spills everything; --stats shows the
# spill; a full disk, an interrupt and a bad temp dir leave nothing behind.
. "$(dirname "$0")/common.inc"
cd "$t"
mkdir spill

# Text 3-grams: about 140 K distinct in 1 MB, against Python.
"$NGFREQ" generate -f text --size 1M --seed 3 -o t.txt 2> /dev/null
python3 - <<'PY' > want.text
import sys
from collections import Counter
c = Counter()
for line in open("t.txt", "rb").read().split(b"\n"):
    words = line.split()
    for i in range(len(words) - 2):
        c[b" ".join(words[i:i + 3])] += 1
for k in sorted(c):
    sys.stdout.buffer.write(b"%s\t%d\n" % (k, c[k]))
PY
[ "$(wc -l < want.text)" -gt 100000 ]
for limit in none 60M 1; do
  for e in thread process; do
    args=(--ngram 3 -e "$e" -j 2 --temp-dir spill)
    [ "$limit" = none ] || args+=(--memory-limit "$limit")
    "$NGFREQ" count "${args[@]}" -o got --stats t.txt 2> stats
    cmp got want.text || { echo "text 3-grams differ: ${args[*]}"; exit 1; }
    [ -z "$(ls -A spill)" ]
    if [ "$limit" = none ]; then
      grep -q '^  spilled  *nothing$' stats
    else
      grep -q '^  spilled  *[0-9.]* MB on disk ([0-9.]* MB of records), [1-9][0-9]* spills, [1-9][0-9]* partitions' stats
    fi
  done
done
# The top and the words asked for come from the same pass.
"$NGFREQ" count --ngram 3 -t 5 -w "$(head -1 want.text | cut -f1)" --memory-limit 1 t.txt > got.top
LC_ALL=C sort -t"$(printf '\t')" -k2,2nr -k1,1 want.text > by-total
{ head -1 want.text; head -5 by-total; } | cmp - got.top

# --by-year of 2-grams: every (n-gram, year) a key, against sort and cut.
"$NGFREQ" generate --n 2 --size 4M --seed 2 -o g2.tsv 2> /dev/null
LC_ALL=C sort -t"$(printf '\t')" -k1,1 -k2,2n g2.tsv | cut -f1-3 > want.by-year
for limit in none 1; do
  args=(--by-year --temp-dir spill)
  [ "$limit" = none ] || args+=(--memory-limit "$limit")
  "$NGFREQ" count "${args[@]}" -o got g2.tsv
  cmp got want.by-year
  "$NGFREQ" count "${args[@]}" --output-format csv --min-count 100 -o got.csv g2.tsv
  python3 - <<'PY'
import csv
want = [r for r in (l.rstrip("\n").split("\t") for l in open("want.by-year", encoding="utf-8", errors="surrogateescape")) if int(r[2]) >= 100]
got = list(csv.reader(open("got.csv", newline="", encoding="utf-8", errors="surrogateescape")))
assert got[0] == ["ngram", "year", "total"], got[0]
assert got[1:] == want, (len(got), len(want))
PY
done

# A limit with --reduce tree or serial is a usage error: they keep whole tables.
expect_exit 2 "$NGFREQ" count --reduce tree --memory-limit 1G t.txt 2> err
grep -q -- "--memory-limit applies to --reduce partitioned" err

# A temp dir that is missing or a file: exit 1 before any work, naming it.
expect_exit 1 "$NGFREQ" count --temp-dir "$t/missing" t.txt 2> err
grep -qx "ngfreq: error: --temp-dir '$t/missing': No such file or directory" err
expect_exit 1 "$NGFREQ" count --temp-dir t.txt t.txt 2> err
grep -qx "ngfreq: error: --temp-dir 't.txt': not a directory" err

# A full disk during a spill (a file size limit stands in for it): exit 1,
# the directory named, the old output intact, nothing left behind.
echo previous > keep.tsv
rc=0
(ulimit -f 200; "$NGFREQ" count --ngram 3 --memory-limit 1 --temp-dir spill -o keep.tsv t.txt 2> err) || rc=$?
[ "$rc" -eq 1 ]
grep -q "^ngfreq: error: cannot spill to 'spill': File too large (the spill needed .* more; .* were on disk; the file size limit, ulimit -f, stops it)$" err
[ "$(cat keep.tsv)" = previous ]
[ -z "$(ls -A spill)" ]
[ "$(ls | grep -c ngfreq-)" -eq 0 ]
# A real full file system, where this test may mount one.
if [ "$(id -u)" -eq 0 ] && mkdir tiny && mount -t tmpfs -o size=1m tmpfs tiny 2> /dev/null; then
  rc=0
  "$NGFREQ" count --ngram 3 --memory-limit 1 --temp-dir tiny -o keep.tsv t.txt 2> err || rc=$?
  umount tiny
  [ "$rc" -eq 1 ]
  grep -q "^ngfreq: error: cannot spill to 'tiny': No space left on device (the spill needed" err
  [ "$(cat keep.tsv)" = previous ]
else
  echo "note: no tmpfs could be mounted here: the full file system case is covered by ulimit -f only"
fi

# Ctrl-C mid-spill: exit 130 at once, no output, no spill file.
for _ in $(seq 16); do cat t.txt; done > t16.txt
"$NGFREQ" count --ngram 3 --memory-limit 1 --temp-dir spill -o out.tsv t16.txt 2> err &
pid=$!
sleep 0.5
kill -0 "$pid"  # still running: with this limit the count spills from its first flush on
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ]
[ ! -e out.tsv ]
[ -z "$(ls -A spill)" ]
[ "$(ls | grep -c ngfreq-)" -eq 0 ]
echo OK
