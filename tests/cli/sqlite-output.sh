# -o FILE.sqlite (issue 18): the rows in a table ngrams, read back with
# Python's sqlite3 module and compared with the TSV listing of the same run;
# --by-year, detection by name, n-grams that are not UTF-8 stored as BLOBs,
# atomic replacement (a failed run leaves the old database), and a clear
# error where a database cannot go.
. "$(dirname "$0")/common.inc"
cd "$t"
command -v python3 > /dev/null || { echo "skipped: no python3"; exit 0; }
python3 -c 'import sqlite3' 2> /dev/null || { echo "skipped: Python has no sqlite3 module"; exit 0; }

"$NGFREQ" generate --size 2M -o gen.v2 2> /dev/null
# A key that is not UTF-8, one with a quote, one with a comma.
printf 'caf\xe9\t2000\t5\t1\nit'"'"'s\t2001\t7\t2\na,b\t1999\t3\t3\n' >> gen.v2

# dump DB [by_year]: the table as TSV rows, an n-gram stored as a BLOB
# written as its bytes and flagged, so that the comparison sees the type.
dump() {
  python3 - "$1" << 'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in db.execute("PRAGMA table_info(ngrams)")]
out = sys.stdout.buffer
for row in db.execute("SELECT * FROM ngrams"):
    ngram = row[0] if isinstance(row[0], bytes) else row[0].encode()
    out.write(b"\t".join([ngram] + [str(v).encode() for v in row[1:]]) + b"\n")
print(",".join(cols), file=sys.stderr)
PY
}
blob_keys() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM ngrams WHERE typeof(ngram) = '"'blob'"'").fetchone()[0])' "$1"; }

"$NGFREQ" count gen.v2 -o want.tsv --volumes
"$NGFREQ" count gen.v2 -o totals.sqlite
dump totals.sqlite 2> cols | LC_ALL=C sort > got.tsv
[ "$(cat cols)" = "ngram,total,volumes" ]
LC_ALL=C sort want.tsv | cmp - got.tsv
[ "$(blob_keys totals.sqlite)" = 1 ]
python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT total, volumes FROM ngrams WHERE ngram = ?", ("it'"'"'s",)).fetchone())' totals.sqlite | grep -qx '(7, 2)'

# --by-year, and the .db name.
"$NGFREQ" count gen.v2 --by-year -o want-by-year.tsv --volumes
"$NGFREQ" count gen.v2 --by-year -o by-year.db
dump by-year.db 2> cols | LC_ALL=C sort > got.tsv
[ "$(cat cols)" = "ngram,year,total,volumes" ]
LC_ALL=C sort want-by-year.tsv | cmp - got.tsv

# The process executor, the partitioned reduce and a spilled external sort
# give the same table.
"$NGFREQ" count gen.v2 -e process -j 2 -o p.sqlite
"$NGFREQ" count gen.v2 --reduce partitioned --memory-limit 40M -p 64K -o spilled.sqlite
for db in p.sqlite spilled.sqlite; do dump $db 2> /dev/null | LC_ALL=C sort | cmp - <(LC_ALL=C sort want.tsv); done

# --output-format wins over the name; --min-count applies; rows asked for
# on standard output stay TSV.
"$NGFREQ" count gen.v2 -o plain.db --output-format tsv
cmp plain.db <(cut -f1,2 want.tsv)
"$NGFREQ" count gen.v2 --output-format sqlite -o named.out --min-count 1000 -w 'a,b' > stdout.txt
[ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT min(total) >= 1000, count(*) FROM ngrams").fetchone())' named.out)" = \
  "(1, $(awk -F'\t' '$2 >= 1000' want.tsv | wc -l))" ]
grep -qx "$(printf 'a,b\t3')" stdout.txt

# Atomic: a run that fails (a malformed line) leaves the old database whole,
# and no temporary behind.
cp totals.sqlite before.sqlite
printf 'broken line\n' >> gen.v2
not "$NGFREQ" count gen.v2 -o totals.sqlite 2> err
grep -q 'gen.v2:' err
cmp totals.sqlite before.sqlite
[ "$(ls -A | grep -c 'ngfreq-')" -eq 0 ]

# A total SQLite cannot hold (above 2^63 - 1) is an error naming it, not
# a rounded REAL; TSV holds it.
printf 'huge\t2000\t9300000000000000000\t1\n' > huge.v2
"$NGFREQ" count huge.v2 -o huge.tsv
expect_exit 1 "$NGFREQ" count huge.v2 -o huge.sqlite 2> err
grep -q "above SQLite's largest INTEGER" err
[ ! -e huge.sqlite ]

# Where a database cannot go: a clear error before any counting.
expect_exit 1 "$NGFREQ" count before.sqlite -o /dev/null --output-format sqlite 2> err
grep -q "cannot write an SQLite database to '/dev/null'" err
expect_exit 1 "$NGFREQ" count gen.v2 -o - --output-format sqlite 2> err
grep -q "needs a regular file" err
expect_exit 2 "$NGFREQ" count gen.v2 --output-format sqlite 2> err
grep -q "needs -o FILE" err
echo ok
