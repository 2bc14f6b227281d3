. "$(dirname "$0")/common.inc"
make_corpus > "$t/bad.tsv"
printf 'broken\t1999\t7\n' >> "$t/bad.tsv"
make_corpus >> "$t/bad.tsv"
line=$(( $(make_corpus | wc -l) + 1 ))
for args in "-j 1" "-j 2 -p 1" "-e serial -p 7" "--reduce serial -p 64"; do
  expect_exit 1 "$NGFREQ" count $args "$t/bad.tsv" > "$t/out" 2> "$t/err"
  grep -qx "ngfreq: error: $t/bad.tsv:$line: expected 4 tab-separated fields, got 3" "$t/err"
  [ ! -s "$t/out" ]
done
# The same through gzip on standard input.
gzip -c "$t/bad.tsv" > "$t/bad.gz"
not "$NGFREQ" count - < "$t/bad.gz" 2> "$t/err"
grep -qx "ngfreq: error: <stdin>:$line: expected 4 tab-separated fields, got 3" "$t/err"
echo OK
