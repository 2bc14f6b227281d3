# ngfreq series (issue 15) against an independent reference in Python: plain
# queries, groups, --ignore-case, wildcards with ties, relative values with
# Google's genuine v2 and v3 total-counts files, smoothing at the ends of the
# range, missing years, a query that matches nothing; the same table from
# every executor, partition size, memory limit, v2 and its v3 twin, gzip and
# stdin; bad totals files, bad options; the plot a real PNG.
. "$(dirname "$0")/common.inc"
cd "$t"
real=${NGFREQ_SHARED_DIR:-}/datasets/real
v2_totals=$real/v2/totalcounts/googlebooks-eng-all-totalcounts-20120701.one-per-line.csv
v3_totals=$real/v3/totalcounts/googlebooks-eng-20200217-totalcounts_1.txt

# reference.py [--totals F] [--since Y] [--until Y] [--smoothing N] [--per P]
#   [--ignore-case] [--expand K] [--value V] -q QUERY... -- FILE... < got.tsv
# Counts the queries' n-grams in v2 FILEs with plain Python, builds the
# table and compares it with ngfreq's TSV on stdin (values to 1e-12).
cat > reference.py <<'PY'
import argparse, collections, sys
ap = argparse.ArgumentParser()
ap.add_argument("--totals"); ap.add_argument("--since", type=int); ap.add_argument("--until", type=int)
ap.add_argument("--smoothing", type=int, default=0); ap.add_argument("--per", default="percent")
ap.add_argument("--ignore-case", action="store_true"); ap.add_argument("--expand", type=int, default=10)
ap.add_argument("--value"); ap.add_argument("-q", action="append", default=[])
ap.add_argument("files", nargs="*")
a = ap.parse_args()
fold = (lambda s: s.casefold()) if a.ignore_case else (lambda s: s)
def fold_ngram(s):  # fold each token, keeping a _TAG suffix as it is
    out = []
    for tok in s.split(" "):
        head, sep, tag = tok.rpartition("_")
        if sep and head and tag.isupper() and tag.isalpha() or tag == ".":
            out.append(fold(head) + "_" + tag)
        else:
            out.append(fold(tok))
    return " ".join(out)
counts = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
for f in a.files:
    for line in open(f, encoding="utf-8"):
        ngram, year, match, volumes = line.rstrip("\n").split("\t")
        year = int(year)
        if a.since is not None and year < a.since or a.until is not None and year > a.until:
            continue
        c = counts[fold_ngram(ngram)][year]
        c[0] += int(match); c[1] += int(volumes)
def matches(pattern, ngram):
    toks, pats = ngram.split(" "), pattern.split(" ")
    return len(toks) == len(pats) and all(
        p == "*" or (p.endswith("*") and len(p) > 1 and t.startswith(p[:-1])) or p == t for p, t in zip(pats, toks))
curves = []  # (label, members)
for q in a.q:
    if any(t == "*" or (len(t) > 1 and t.endswith("*")) for t in q.split(" ")):
        pattern = fold_ngram(q)
        found = sorted(((sum(c[0] for c in by_year.values()), ngram) for ngram, by_year in counts.items()
                        if matches(pattern, ngram)), key=lambda x: (-x[0], x[1].encode()))
        found = [f for f in found if f[0] > 0][:a.expand]
        curves += [(ngram, [ngram]) for _, ngram in found] or [(q, [])]
    else:
        members = []
        for m in q.split("|"):
            m = fold_ngram(m.strip(" "))
            if m not in members: members.append(m)
        curves.append((q, members))
years = [y for ngram in {m for _, ms in curves for m in ms} for y in counts.get(ngram, {})]
first = a.since if a.since is not None else min(years, default=1)
last = a.until if a.until is not None else max(years, default=0)
totals = {}
if a.totals:
    for entry in open(a.totals).read().split():
        y, m, p, v = map(int, entry.split(","))
        totals[y] = m
value = a.value or ("relative" if a.totals else "count")
scale = {"percent": 100, "million": 1e6, "fraction": 1}[a.per]
want = {}
for label, members in curves:
    raw = []
    for y in range(first, last + 1):
        s = sum(counts[m][y][1 if value == "volumes" else 0] for m in members if m in counts and y in counts[m])
        raw.append(s / totals[y] * scale if value == "relative" and s else float(s))
    n, w = len(raw), a.smoothing
    want[label] = [sum(raw[max(0, i - w):min(n, i + w + 1)]) / (min(n, i + w + 1) - max(0, i - w))
                   for i in range(n)]
got = [l.rstrip("\n").split("\t") for l in sys.stdin]
labels = [label for label, _ in curves]
assert got[0] == ["year"] + labels, (got[0], labels)
assert [int(r[0]) for r in got[1:]] == list(range(first, last + 1)), "years"
for i, label in enumerate(labels):
    for r, w in zip(got[1:], want[label]):
        g = float(r[i + 1])
        assert abs(g - w) <= 1e-12 * max(abs(w), 1e-300), (label, r[0], g, w)
print(f"ok: {len(labels)} curves, {last - first + 1} years", file=sys.stderr)
PY

check() {  # check "REFERENCE OPTIONS" NGFREQ-OPTIONS... -- FILES...
  local ref=$1
  shift
  local opts=() files=() seen=0
  for x in "$@"; do
    if [ "$x" = -- ]; then seen=1; elif [ $seen = 1 ]; then files+=("$x"); else opts+=("$x"); fi
  done
  "$NGFREQ" series "${opts[@]}" "${files[@]}" > got.tsv
  eval "python3 reference.py $ref -- \"\${files[@]}\"" < got.tsv
}

# Generated v2 data: plain, groups, a missing n-gram, volumes, wildcards.
"$NGFREQ" generate --size 3M --seed 3 -o g.tsv > /dev/null
"$NGFREQ" generate --size 3M --seed 3 -f v3 -o g3.tsv > /dev/null
top=$(cut -f1 g.tsv | uniq -c | sort -k1,1nr -k2 | awk 'NR <= 3 { print $2 }')
q1=$(echo "$top" | sed -n 1p); q2=$(echo "$top" | sed -n 2p); q3=$(echo "$top" | sed -n 3p)
prefix=${q1:0:2}
check "-q '$q1' -q '$q2|$q3' -q 'no such n-gram'" -w "$q1" -w "$q2|$q3" -w 'no such n-gram' -- g.tsv
check "-q '$q1' --value volumes --since 1700 --until 1710" -w "$q1" --value volumes --since 1700 --until 1710 -- g.tsv
check "-q '$prefix*' -q '$q1' --expand 4" -w "$prefix*" -w "$q1" --expand 4 -- g.tsv
check "-q '$q1' -q '$q2' --smoothing 3 --ignore-case" -w "$q1" -w "$q2" --smoothing 3 --ignore-case -- g.tsv
# Relative values with the genuine v3 totals (years from 1800, which they all have).
if [ -f "$v3_totals" ]; then
  check "-q '$q1|$q2' --totals '$v3_totals' --since 1800 --per million --smoothing 2" \
    -w "$q1|$q2" --totals "$v3_totals" --since 1800 --per million --smoothing 2 -- g.tsv
fi

# One table whatever the executor, jobs, partition size, memory limit,
# format (v3 twin), gzip or stdin.
"$NGFREQ" series -w "$q1" -w "$q2|$q3" -w "$prefix*" --smoothing 1 -o want.tsv g.tsv
gzip -c g.tsv > g.tsv.gz
for args in "-e serial" "-e thread -j 2 -p 64K" "-e process -j 2 -p 64K" "-j 2 --memory-limit 1" \
  "-e process --memory-limit 1 -p 100K"; do
  # shellcheck disable=SC2086
  "$NGFREQ" series $args -w "$q1" -w "$q2|$q3" -w "$prefix*" --smoothing 1 g.tsv > got.tsv
  cmp got.tsv want.tsv || { echo "differs with $args"; exit 1; }
done
"$NGFREQ" series -w "$q1" -w "$q2|$q3" -w "$prefix*" --smoothing 1 g3.tsv | cmp - want.tsv
"$NGFREQ" series -w "$q1" -w "$q2|$q3" -w "$prefix*" --smoothing 1 g.tsv.gz | cmp - want.tsv
"$NGFREQ" series -w "$q1" -w "$q2|$q3" -w "$prefix*" --smoothing 1 - < g.tsv.gz | cmp - want.tsv
printf '%s\n\n%s|%s\n%s*\n' "$q1" "$q2" "$q3" "$prefix" > queries.txt
"$NGFREQ" series --words-file queries.txt --smoothing 1 g.tsv | cmp - want.tsv

# CSV and JSON Lines hold the same values.
"$NGFREQ" series -w "$q1" -w "a,b" --output-format csv g.tsv > got.csv
"$NGFREQ" series -w "$q1" -w "a,b" --output-format jsonl g.tsv > got.jsonl
"$NGFREQ" series -w "$q1" -w "a,b" g.tsv > got.tsv
python3 - <<'PY'
import csv, json
tsv = [l.rstrip("\n").split("\t") for l in open("got.tsv")]
rows = list(csv.reader(open("got.csv", newline="")))
assert rows == tsv, "csv"
objs = [json.loads(l) for l in open("got.jsonl")]
want = [{"query": q, "year": int(r[0]), "value": int(r[i + 1])} for i, q in enumerate(tsv[0][1:]) for r in tsv[1:]]
assert objs == want, "jsonl"
PY

# Genuine v2 excerpts with their own totals: every year they match is in the
# totals file; relative values, groups across files, case folding.
heads=$real/v2/1gram-heads
if [ -d "$heads" ] && [ -f "$v2_totals" ]; then
  files=("$heads"/googlebooks-eng-all-1gram-20120701-a.head10000.tsv "$heads"/googlebooks-eng-all-1gram-20120701-b.head10000.tsv)
  top=$(cat "${files[@]}" | cut -f1 | uniq -c | sort -k1,1nr -k2 | awk 'NR <= 4 { print $2 }')
  r1=$(echo "$top" | sed -n 1p); r2=$(echo "$top" | sed -n 2p); r3=$(echo "$top" | sed -n 3p); r4=$(echo "$top" | sed -n 4p)
  check "-q '$r1' -q '$r2|$r3|$r4' --totals '$v2_totals'" -w "$r1" -w "$r2|$r3|$r4" --totals "$v2_totals" -- "${files[@]}"
  check "-q '$r1' -q '$r2' --totals '$v2_totals' --smoothing 5 --since 1900 --until 2008 --ignore-case" \
    -w "$r1" -w "$r2" --totals "$v2_totals" --smoothing 5 --since 1900 --until 2008 --ignore-case -- "${files[@]}"
  check "-q 'A*' --totals '$v2_totals' --per fraction --expand 3" -w 'A*' --totals "$v2_totals" --per fraction --expand 3 -- "${files[@]}"
else
  echo "note: $heads or $v2_totals is absent: the genuine excerpts are not checked"
fi

# A totals file without a year the query matched in: the year and the file
# are named. A malformed totals file: FILE: entry N.
printf '1500,1,1,1\n' > short-totals.csv
expect_exit 1 "$NGFREQ" series -w "$q1" --totals short-totals.csv g.tsv 2> err
grep -q "short-totals.csv: no total count for [0-9]*, where '$q1' has [0-9]* matches" err
printf ' \t1500,1,1,1\t1501,2,x,1\n' > bad-totals.txt
expect_exit 1 "$NGFREQ" series -w "$q1" --totals bad-totals.txt g.tsv 2> err
grep -qF "bad-totals.txt: entry 2: expected year,match_count,page_count,volume_count: '1501,2,x,1'" err
expect_exit 1 "$NGFREQ" series -w "$q1" --totals missing.csv g.tsv 2> err
grep -q "missing.csv" err
# Bad usage: exit 2, one line.
expect_exit 2 "$NGFREQ" series g.tsv
expect_exit 2 "$NGFREQ" series -w x --value relative g.tsv
expect_exit 2 "$NGFREQ" series -w x --per million g.tsv
expect_exit 2 "$NGFREQ" series -w 'x|y*' g.tsv
expect_exit 2 "$NGFREQ" series -w x --since 2000 --until 1990 g.tsv
expect_exit 2 "$NGFREQ" series -w x -f text g.tsv
expect_exit 2 "$NGFREQ" series -w x --plot out.pdf g.tsv
echo 'some plain text' > text.txt
expect_exit 1 "$NGFREQ" series -w x text.txt 2> err
grep -q "text.txt' is text" err
# A malformed input line: FILE:LINE, as count says it.
printf '%s\t1900\t1\t1\nbad line\n' "$q1" > bad.tsv
expect_exit 1 "$NGFREQ" series -w "$q1" bad.tsv 2> err
grep -q "bad.tsv:2: " err

# The plot: a real PNG of the expected size, and the table still on stdout.
if command -v gnuplot > /dev/null; then
  "$NGFREQ" series -w "$q1" -w "$q2" --smoothing 2 --plot curves.png g.tsv | cmp - <("$NGFREQ" series -w "$q1" -w "$q2" --smoothing 2 g.tsv)
  python3 - <<'PY'
import struct
data = open("curves.png", "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (640, 480), (width, height)
assert len(data) > 5000, "an empty picture"
PY
  "$NGFREQ" series -w "$q1" --plot curves.svg g.tsv > /dev/null
  grep -q "<svg" curves.svg
else
  echo "note: gnuplot is not installed: the plot is not checked"
fi
echo "series: ok"
