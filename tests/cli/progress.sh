. "$(dirname "$0")/common.inc"
make_corpus > "$t/c.tsv"
# plain: the textbook's line, ending with every map operation done.
"$NGFREQ" count --progress plain -p 100 -w apple "$t/c.tsv" 2> "$t/err" > /dev/null
parts=$(( ($(stat -c %s "$t/c.tsv") + 99) / 100 ))
tail -n 1 "$t/err" | grep -qx "Finished $parts/$parts map operations"
# bar: redrawn in place, ends at 100%.
"$NGFREQ" count --progress bar -w apple "$t/c.tsv" 2> "$t/err" > /dev/null
grep -q '100%' "$t/err"
# Not a terminal and no option: nothing on stderr.
"$NGFREQ" count -w apple "$t/c.tsv" 2> "$t/err" > /dev/null
[ ! -s "$t/err" ]
# --stats names every phase.
"$NGFREQ" count --stats -w apple "$t/c.tsv" 2> "$t/err" > /dev/null
for word in 'wall time' partitions lines 'distinct n-grams' 'MB/s' 'peak memory'; do grep -q "$word" "$t/err"; done
echo OK
