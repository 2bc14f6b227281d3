. "$(dirname "$0")/common.inc"
make_corpus > "$t/c.tsv"
# Usage errors exit 2 with a message that names the problem.
expect_exit 2 "$NGFREQ" count --no-such-option "$t/c.tsv" 2> "$t/err"
grep -q 'ngfreq: error: .*no-such-option' "$t/err"
expect_exit 2 "$NGFREQ" count -p 12Q "$t/c.tsv" 2> "$t/err"
grep -q "partition-size: '12Q' is not a size" "$t/err"
expect_exit 2 "$NGFREQ" count -j 0 "$t/c.tsv" 2> "$t/err"
expect_exit 2 "$NGFREQ" count 2> "$t/err"
expect_exit 2 "$NGFREQ" count --since 2000 --until 1990 "$t/c.tsv" 2> "$t/err"
grep -q 'since 2000 is after --until 1990' "$t/err"
# Data and I/O errors exit 1.
expect_exit 1 "$NGFREQ" count "$t/missing.tsv" 2> "$t/err"
grep -qx "ngfreq: error: cannot open '$t/missing.tsv': No such file or directory" "$t/err"
expect_exit 1 "$NGFREQ" count -o "$t/no-such-dir/out.tsv" "$t/c.tsv" 2> "$t/err"
grep -q "cannot create '$t/no-such-dir/out.tsv'" "$t/err"
expect_exit 1 "$NGFREQ" count -o "$t" "$t/c.tsv" 2> "$t/err"
grep -q "is a directory" "$t/err"
"$NGFREQ" count --help | grep -q -- '--partition-size'
echo OK
