. "$(dirname "$0")/common.inc"
make_corpus > "$t/c.tsv"
awk_reference "$t/c.tsv" > "$t/want"
"$NGFREQ" count -o "$t/o1" - < "$t/c.tsv"; cmp "$t/o1" "$t/want"
gzip -c "$t/c.tsv" > "$t/c.gz"
"$NGFREQ" count -o "$t/o2" - < "$t/c.gz"; cmp "$t/o2" "$t/want"
# Detected from the bytes, not the name.
cp "$t/c.gz" "$t/misnamed.tsv"
"$NGFREQ" count -o "$t/o3" "$t/misnamed.tsv"; cmp "$t/o3" "$t/want"
# Concatenated gzip members are all read.
cat "$t/c.gz" "$t/c.gz" > "$t/twice.gz"
cat "$t/c.tsv" "$t/c.tsv" > "$t/twice.tsv"
awk_reference "$t/twice.tsv" > "$t/want2"
for inflater in isal zlib; do
  "$NGFREQ" count --inflater $inflater -p 10 -o "$t/o4" "$t/twice.gz"; cmp "$t/o4" "$t/want2"
done
echo OK
