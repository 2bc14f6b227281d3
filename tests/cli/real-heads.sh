. "$(dirname "$0")/common.inc"
if [ ! -d "$heads" ]; then echo "skipped: $heads is absent"; exit 0; fi
awk_reference "$heads"/*.tsv > "$t/want"
for args in "" "-j 1 -p 4K" "-e serial --reduce serial" "-j 2 --fan-in 3 -p 100K"; do
  "$NGFREQ" count $args -o "$t/out" "$heads"; cmp "$t/out" "$t/want"
done
cat "$heads"/*.tsv | gzip -1 > "$t/all.gz"
"$NGFREQ" count -o "$t/out" "$t/all.gz"; cmp "$t/out" "$t/want"
echo OK
