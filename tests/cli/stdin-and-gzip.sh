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
# A named FIFO whose writer is already waiting: ngfreq must open it once
# (opening it to look and closing it again broke the writer's pipe and
# then hung on the second open, about one run in three).
for i in $(seq 20); do
  src=$([ $((i % 2)) -eq 0 ] && echo "$t/c.gz" || echo "$t/c.tsv")
  rm -f "$t/fifo"
  mkfifo "$t/fifo"
  (exec 3> "$t/fifo"; cat "$src" >&3) &
  writer=$!
  timeout 20 "$NGFREQ" count --progress none -o "$t/o5" "$t/fifo"
  wait "$writer"
  cmp "$t/o5" "$t/want"
done
echo OK
