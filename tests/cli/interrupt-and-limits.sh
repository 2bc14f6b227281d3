# SIGINT and SIGTERM stop a run at once whatever the executor, with exit
# 130 / 143, no output, no temporary file and no child process left; a
# full disk (a file size limit) and an unreadable input are clear errors.
. "$(dirname "$0")/common.inc"
make_corpus > "$t/c.tsv"

# The run waits on a FIFO that is kept open, so it is caught mid-map, with
# the output's temporary file already created (it is opened before the count).
for sig in INT TERM; do
  for ex in serial thread process; do
    rm -f "$t/in"
    mkfifo "$t/in"
    "$NGFREQ" count -e "$ex" -j 2 -o "$t/out.tsv" "$t/in" 2> "$t/err" &
    pid=$!
    exec 3> "$t/in"
    cat "$t/c.tsv" >&3
    # Wait until the run is under way: its temporary output exists and,
    # for the process executor, both workers are forked.
    want_children=$([ "$ex" = process ] && echo 2 || echo 0)
    for _ in $(seq 100); do
      children=$(pgrep -P "$pid" || true)
      ls "$t" | grep -q 'out.tsv.ngfreq-' && [ "$(echo "$children" | wc -w)" -eq "$want_children" ] && break
      sleep 0.05
    done
    ls "$t" | grep -q 'out.tsv.ngfreq-'
    [ "$(echo "$children" | wc -w)" -eq "$want_children" ]
    start=$(date +%s%N)
    kill -s "$sig" "$pid"
    rc=0
    wait "$pid" || rc=$?
    exec 3>&-
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    want=$([ "$sig" = INT ] && echo 130 || echo 143)
    [ "$rc" -eq "$want" ] || { echo "$ex SIG$sig: exit $rc, want $want"; exit 1; }
    [ "$elapsed_ms" -lt 5000 ]  # a generous bound: the run must not go on to the end
    [ ! -e "$t/out.tsv" ]
    [ "$(ls "$t" | grep -c ngfreq-)" -eq 0 ]
    for c in $children; do [ ! -e "/proc/$c" ] || ! grep -q ngfreq "/proc/$c/cmdline"; done
  done
done

# A file size limit stands in for a full disk: the write fails with EFBIG,
# the run exits 1 naming the output, and nothing is left behind. (The
# process executor's shared memory counts against the limit too, and says so.)
big=$(for i in $(seq 2000); do printf 'w%05d\t1990\t1\t1\n' "$i"; done)
echo "$big" > "$t/big.tsv"
echo previous > "$t/keep.tsv"
for ex in thread process; do
  rc=0
  (ulimit -f 8; "$NGFREQ" count -e "$ex" -o "$t/keep.tsv" "$t/big.tsv" 2> "$t/err") || rc=$?
  [ "$rc" -eq 1 ]
  grep -qx "ngfreq: error: cannot write '$t/keep.tsv': File too large" "$t/err" ||
    grep -q "^ngfreq: error: cannot write shared memory: File too large (.*ulimit -f)$" "$t/err"
  [ "$(cat "$t/keep.tsv")" = previous ]
  [ "$(ls "$t" | grep -c ngfreq-)" -eq 0 ]
done

# An unreadable input (as root, checked as the user nobody).
chmod 000 "$t/c.tsv"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  command -v setpriv > /dev/null || { echo "skipped: setpriv is needed to drop root"; exit 0; }
  chmod 755 "$t"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
expect_exit 1 "${as_user[@]}" "$NGFREQ" count "$t/c.tsv" 2> "$t/err"
grep -qx "ngfreq: error: cannot open '$t/c.tsv': Permission denied" "$t/err"
echo OK
