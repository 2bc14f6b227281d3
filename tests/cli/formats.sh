# Every input format against independent references (awk and Python), the
# partition sweep on each, the key options and the output formats parsed
# back by Python's csv and json modules.
. "$(dirname "$0")/common.inc"
real="${NGFREQ_SHARED_DIR:-}/datasets/real"
cd "$t"

# sweep FILE ARGS...: -o output byte-identical over partition sizes, jobs,
# executors and a memory limit so small that every partition spills to
# disk and is cut again; leaves the output in $t/sweep.
sweep() {
  local file=$1
  shift
  "$NGFREQ" count "$@" -o sweep "$file"
  for p in 1 7 4096; do
    for j in 1 2; do
      for e in thread process; do
        "$NGFREQ" count "$@" -e "$e" -j "$j" -p "$p" -o sweep.other "$file"
        cmp sweep sweep.other || { echo "sweep differs: $* -e $e -j $j -p $p"; return 1; }
      done
    done
  done
  mkdir -p spill
  # thread: the ordered reduce where it applies (spilling sorted runs);
  # with --reduce partitioned and with processes, the hash partitions.
  for e in "thread" "thread --reduce partitioned" "process"; do
    "$NGFREQ" count "$@" -e $e -j 2 -p 4096 --memory-limit 1 --temp-dir spill -o sweep.other "$file"
    cmp sweep sweep.other || { echo "sweep differs: $* -e $e --memory-limit 1"; return 1; }
    [ -z "$(ls -A spill)" ] || { echo "spill files left behind: $(ls spill)"; return 1; }
  done
  "$NGFREQ" count "$@" -e serial --reduce serial -o sweep.other "$file"
  cmp sweep sweep.other
}

# --- data: a v2 corpus of 2-grams with tags, commas, quotes, UTF-8 and a
# byte that is not UTF-8, and the same data as v3 (one line an n-gram).
python3 - <<'PY'
import random
rng = random.Random(4)
words = ["kill", "switch", "the", "a,b", 'say "hi"', "naïve", "Straße", "x\udcff", "_START_", "of"]
tags = ["", "", "", "_NOUN", "_VERB", "_ADJ", "_."]
grams = set()
while len(grams) < 400:
    n = rng.choice([1, 2, 2, 3])
    grams.add(" ".join(rng.choice(words) + rng.choice(tags) for _ in range(n)))
with open("c.v2", "wb") as v2, open("c.v3", "wb") as v3:
    for g in sorted(grams, key=lambda s: s.encode("utf-8", "surrogateescape")):
        years = sorted(rng.sample(range(1500, 2009), rng.randint(1, 12)))
        rows = [(y, rng.randint(1, 10**6), 0) for y in years]
        rows = [(y, m, rng.randint(1, m)) for y, m, _ in rows]
        key = g.encode("utf-8", "surrogateescape")
        for y, m, v in rows:
            v2.write(b"%s\t%d\t%d\t%d\n" % (key, y, m, v))
        v3.write(key + b"".join(b"\t%d,%d,%d" % r for r in rows) + b"\n")
PY

# v3 gives what v2 gives, which is what awk gives.
awk_reference c.v2 > want
"$NGFREQ" count -o got c.v2; cmp got want
"$NGFREQ" count -o got c.v3; cmp got want
sweep c.v3 --volumes
awk -F'\t' '{ s[$1] += $3; v[$1] += $4 } END { for (k in s) printf "%s\t%.0f\t%.0f\n", k, s[k], v[k] }' c.v2 |
  LC_ALL=C sort > want.volumes
cmp sweep want.volumes
gzip -c c.v3 > c.v3.gz
"$NGFREQ" count -f v3 -o got c.v3.gz; cmp got want

# --since/--until apply to each triple of a v3 line.
awk -F'\t' '$2 >= 1700 && $2 <= 1800 { s[$1] += $3 } END { for (k in s) printf "%s\t%.0f\n", k, s[k] }' c.v2 |
  LC_ALL=C sort > want.years
"$NGFREQ" count --since 1700 --until 1800 -o got c.v3; cmp got want.years
"$NGFREQ" count --since 1700 --until 1800 -o got c.v2; cmp got want.years

# --by-year: ngram TAB year TAB total, sorted by n-gram bytes then year.
LC_ALL=C sort -t"$(printf '\t')" -k1,1 -k2,2n c.v2 | cut -f1-3 > want.by-year
sweep c.v3 --by-year; cmp sweep want.by-year
"$NGFREQ" count --by-year -o got c.v2; cmp got want.by-year
# -w with --by-year: that n-gram's years in order.
"$NGFREQ" count --by-year -w 'kill switch' c.v3 > got
awk -F'\t' '$1 == "kill switch"' want.by-year > want.word
cmp got want.word

# --tags: drop leaves out entries with a tagged token or placeholder, only
# keeps just those; together they are everything.
python3 - c.v2 <<'PY' > want.drop
import re, sys
tag = re.compile(r"^(.+_(NOUN|VERB|ADJ|ADV|PRON|DET|ADP|NUM|CONJ|PRT|X|\.)|_(NOUN|VERB|ADJ|ADV|PRON|DET|ADP|NUM|CONJ|PRT|X|\.|START|END|ROOT)_)$", re.S)
totals = {}
for line in open(sys.argv[1], "rb"):
    g, y, m, v = line.rstrip(b"\n").split(b"\t")
    if any(tag.match(t.decode("utf-8", "surrogateescape")) for t in g.split(b" ")):
        continue
    totals[g] = totals.get(g, 0) + int(m)
for g in sorted(totals):
    sys.stdout.buffer.write(b"%s\t%d\n" % (g, totals[g]))
PY
[ -s want.drop ]
sweep c.v3 --tags drop; cmp sweep want.drop
"$NGFREQ" count --tags only -o only c.v2
LC_ALL=C sort -m want.drop only > both; cmp both want

# --min-count leaves out totals below N (in -o and --top).
awk -F'\t' '$2 >= 3000000' want > want.min
[ -s want.min ]
"$NGFREQ" count --min-count 3000000 -o got c.v3; cmp got want.min
"$NGFREQ" count --min-count 3000000 --top 100000 c.v3 | LC_ALL=C sort > got; cmp got want.min

# CSV and JSON Lines read back by real parsers give the TSV rows.
"$NGFREQ" count --volumes --by-year -o rows.tsv c.v2
"$NGFREQ" count --volumes --by-year --output-format csv -o rows.csv c.v3
"$NGFREQ" count --volumes --by-year --output-format jsonl -o rows.jsonl c.v3
"$NGFREQ" count --volumes --by-year --output-format jsonl --top 20 c.v3 > top.jsonl
"$NGFREQ" count --volumes --by-year --top 20 c.v3 > top.tsv
python3 - <<'PY'
import csv, json
def tsv(path):
    return [l.split(b"\t") for l in open(path, "rb").read().split(b"\n")[:-1]]
want = tsv("rows.tsv")
with open("rows.csv", newline="", encoding="utf-8", errors="surrogateescape") as f:
    r = list(csv.reader(f))
assert r[0] == ["ngram", "year", "total", "volumes"], r[0]
got = [[c.encode("utf-8", "surrogateescape") for c in row] for row in r[1:]]
assert got == want, "csv rows differ"
assert b'"a,b' in open("rows.csv", "rb").read() and open("rows.csv", "rb").read().endswith(b"\r\n")
def jsonl(path):
    out = []
    for line in open(path, "rb"):
        o = json.loads(line)
        assert list(o) == ["ngram", "year", "total", "volumes"], list(o)
        out.append([o["ngram"].encode("utf-8", "surrogateescape")] + [b"%d" % o[k] for k in ("year", "total", "volumes")])
    return out
assert jsonl("rows.jsonl") == want, "jsonl rows differ"
assert jsonl("top.jsonl") == tsv("top.tsv"), "jsonl top differs"
assert any(b"\xff" in row[0] for row in want), "the data has a byte that is not UTF-8"
PY
# -w in CSV: a header, then the row (0 when absent).
"$NGFREQ" count --output-format csv -w 'a,b' -w nothing c.v2 > got
printf 'ngram,total\r\n"a,b",%s\r\nnothing,0\r\n' "$(awk -F'\t' '$1 == "a,b" { print $2 }' want)" > want.w
cmp got want.w

# --- v1: the genuine excerpt, match_count and volume_count summed.
if [ -d "$real/v1" ]; then
  awk -F'\t' '{ s[$1] += $3; v[$1] += $5 } END { for (k in s) printf "%s\t%.0f\t%.0f\n", k, s[k], v[k] }' \
    "$real"/v1/*.tsv | LC_ALL=C sort > want.v1
  "$NGFREQ" count --volumes -o got "$real"/v1/*.tsv; cmp got want.v1
  sweep "$real/v1" --volumes; cmp sweep want.v1
else
  echo "note: $real/v1 is absent: the genuine v1 excerpt is not checked"
fi

# --- v2 2-grams: the genuine excerpt.
if [ -d "$real/v2/2gram" ]; then
  awk_reference "$real"/v2/2gram/*.tsv > want.2gram
  sweep "$real/v2/2gram"; cmp sweep want.2gram
  grep -q ' ' want.2gram
else
  echo "note: $real/v2/2gram is absent: the genuine 2-gram excerpt is not checked"
fi

# --- text: UTF-8 with case variants; Python's bytes.split() and
# str.casefold() are the references.
python3 - <<'PY'
import random
rng = random.Random(9)
vocab = ["the", "The", "THE", "cat", "Cat", "naïve", "NAÏVE", "Straße", "STRASSE", "strasse", "ΟΔΟΣ", "οδος",
         "don't", "x\udcfe", "a,b", "日本語", "end."]
with open("t.txt", "wb") as f:
    for i in range(3000):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        sep = rng.choice([" ", "  ", "\t", " \x0b", "\x0c "])
        f.write(sep.join(words).encode("utf-8", "surrogateescape") + rng.choice([b"\n", b"\r\n", b" \n"]))
PY
for n in 1 2 3; do
  for fold in 0 1; do
    python3 - "$n" "$fold" <<'PY' > want.text
import sys
from collections import Counter
n, fold = int(sys.argv[1]), sys.argv[2] == "1"
c = Counter()
for line in open("t.txt", "rb").read().split(b"\n"):
    words = line.split()
    if fold:
        words = [w.decode("utf-8", "surrogateescape").casefold().encode("utf-8", "surrogateescape") for w in words]
    for i in range(len(words) - n + 1):
        c[b" ".join(words[i:i + n])] += 1
for k in sorted(c):
    sys.stdout.buffer.write(b"%s\t%d\n" % (k, c[k]))
PY
    args=(--ngram "$n")
    [ "$fold" = 1 ] && args+=(--ignore-case)
    sweep t.txt "${args[@]}"
    cmp sweep want.text || { echo "text differs: ${args[*]}"; exit 1; }
  done
done
"$NGFREQ" count -f text -o got t.txt; "$NGFREQ" count --ngram 1 -o sweep t.txt; cmp got sweep

# --- many inputs of mixed formats and compression in one run: the v2 file
# and its v3 twin, gzip, count every n-gram twice; text next to them is
# detected as text.
printf 'naïve zebra\n' > words.txt
"$NGFREQ" count -o mixed c.v2 c.v3.gz words.txt
{ awk -F'\t' '{ printf "%s\t%.0f\n", $1, 2 * $2 }' want; printf 'naïve\t1\nzebra\t1\n'; } |
  awk -F'\t' '{ s[$1] += $2 } END { for (k in s) printf "%s\t%.0f\n", k, s[k] }' | LC_ALL=C sort > want.mixed
cmp mixed want.mixed

# A quoted pattern is expanded by ngfreq (a corpus has more files than a
# command line holds); no match is an error.
mkdir parts
cp c.v2 parts/p1.tsv
cp c.v3.gz parts/p2.gz
cp words.txt parts/other.txt
"$NGFREQ" count -o globbed 'parts/p*'
awk -F'\t' '{ printf "%s\t%.0f\n", $1, 2 * $2 }' want > want.globbed
cmp globbed want.globbed
expect_exit 1 "$NGFREQ" count 'parts/none*' 2> err
grep -q "no file matches 'parts/none\*'" err

# --- ngfreq generate: a v3 file and its v2 twin count the same; every
# word of generated text is counted (wc -w is the reference).
"$NGFREQ" generate --n 2 --size 3M --seed 5 -o gen.v2 2> /dev/null
"$NGFREQ" generate --n 2 -f v3 --size 3M --seed 5 --gzip -o gen.v3.gz 2> /dev/null
"$NGFREQ" count -o gen.a gen.v2; "$NGFREQ" count -o gen.b gen.v3.gz; cmp gen.a gen.b
"$NGFREQ" generate -f text --size 3M --seed 5 -o gen.txt 2> /dev/null
[ "$("$NGFREQ" count -o - gen.txt | awk -F'\t' '{ s += $2 } END { print s }')" = "$(wc -w < gen.txt)" ]
expect_exit 2 "$NGFREQ" generate -f text --n 2 -o gen.x 2> err

# --- usage and detection errors.
expect_exit 2 "$NGFREQ" count -f v2 --ngram 2 c.v2 2> err; grep -q 'ngram' err
expect_exit 2 "$NGFREQ" count -f text --by-year t.txt 2> err
expect_exit 2 "$NGFREQ" count -f text --since 1900 t.txt 2> err
expect_exit 2 "$NGFREQ" count -f text --volumes t.txt 2> err
expect_exit 2 "$NGFREQ" count --output-format xml c.v2 2> err
expect_exit 1 "$NGFREQ" count --ngram 2 c.v2 2> err; grep -q 'c.v2' err
printf '\nname\tage\tcity\n' > people.tsv
expect_exit 1 "$NGFREQ" count people.tsv 2> err
grep -q "^ngfreq: error: people.tsv:2: cannot tell the format" err || { cat err; exit 1; }
echo OK
