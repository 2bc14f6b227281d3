. "$(dirname "$0")/common.inc"
make_corpus > "$t/c.tsv"
awk_reference "$t/c.tsv" > "$t/want"
"$NGFREQ" count -p 5 -o "$t/out.tsv" "$t/c.tsv"
cmp "$t/out.tsv" "$t/want"
# Written atomically: no temporary file is left beside it.
[ "$(ls "$t" | grep -c ngfreq-)" -eq 0 ]
# A failed run leaves an existing output untouched.
echo previous > "$t/keep.tsv"
printf 'x\t1\n' > "$t/bad.tsv"
not "$NGFREQ" count -o "$t/keep.tsv" "$t/bad.tsv" 2>/dev/null
[ "$(cat "$t/keep.tsv")" = previous ]
[ "$(ls "$t" | grep -c ngfreq-)" -eq 0 ]
# --volumes adds the volume total.
"$NGFREQ" count --volumes -o "$t/vol.tsv" "$t/c.tsv"
grep -qP '^apple\t\d+\t6$' "$t/vol.tsv"
# -o - writes to standard output.
"$NGFREQ" count -o - "$t/c.tsv" | cmp - "$t/want"
echo OK
