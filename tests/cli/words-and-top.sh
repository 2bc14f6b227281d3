. "$(dirname "$0")/common.inc"
printf 'b\t2000\t5\t1\nb\t2001\t5\t2\nc\t2000\t10\t1\na\t2000\t10\t3\nd\t1500\t1\t1\n' > "$t/c.tsv"
"$NGFREQ" count -w c -w zzz -w b "$t/c.tsv" > "$t/out"
printf 'c\t10\nzzz\t0\nb\t10\n' | cmp - "$t/out"
# -w takes one n-gram: the input may follow it.
"$NGFREQ" count -w c "$t/c.tsv" --volumes | grep -qx "c	10	1"
"$NGFREQ" series -w c "$t/c.tsv" --output-format tsv > /dev/null
# Ties in the top list are in byte order of the n-gram.
"$NGFREQ" count -t 3 "$t/c.tsv" > "$t/out"
printf 'a\t10\nb\t10\nc\t10\n' | cmp - "$t/out"
"$NGFREQ" count -t 2 --volumes "$t/c.tsv" > "$t/out"
printf 'a\t10\t3\nb\t10\t3\n' | cmp - "$t/out"
# Year filters are inclusive.
"$NGFREQ" count --since 2001 -w b -w d "$t/c.tsv" > "$t/out"
printf 'b\t5\nd\t0\n' | cmp - "$t/out"
"$NGFREQ" count --until 1500 -w d "$t/c.tsv" | grep -qx "d	1"
# With no output option: the top 10 and a summary line.
"$NGFREQ" count "$t/c.tsv" > "$t/out"
[ "$(wc -l < "$t/out")" -eq 5 ]
grep -q '^4 distinct n-grams, 31 matches in 5 lines' "$t/out"
echo OK
