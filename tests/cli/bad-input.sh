# Every kind of malformed line fails the run with the same file:line message
# whatever the executor, jobs and partition size; --on-error skip leaves the
# same lines out and names them the same way. Accepted oddities (CR LF, no
# final newline, an empty file, non-UTF-8 bytes, a 10 MB line) count right.
. "$(dirname "$0")/common.inc"
configs=("-e serial" "-j 1 -p 1" "-j 2 -p 7" "-j 2 -p 4096" "-j 2" "-e process -j 1 -p 7" "-e process -j 2 -p 4096")
good() { for i in $(seq 1 "$1"); do printf 'w%04d\t%d\t%d\t1\n' $(( i % 50 )) $(( 1900 + i % 100 )) "$i"; done; }
# Only whole lines are counted: the reference sorts good lines by n-gram.
good 120 | sort -t$'\t' -k1,1 -s > "$t/head"
good 80 | sort -t$'\t' -k1,1 -s > "$t/tail"
line=$(( $(wc -l < "$t/head") + 1 ))
awk_reference "$t/head" "$t/tail" > "$t/want"

check_case() {  # FORMAT REASON: the bad line (printf format) and its message
  { cat "$t/head"; printf "$1"; cat "$t/tail"; } > "$t/bad.tsv"
  for args in "${configs[@]}"; do
    rm -f "$t/out"
    expect_exit 1 "$NGFREQ" count $args -o "$t/out" "$t/bad.tsv" 2> "$t/err"
    grep -qxF "ngfreq: error: $t/bad.tsv:$line: $2" "$t/err" || { echo "$args: $(cat "$t/err")"; return 1; }
    [ ! -e "$t/out" ]
    "$NGFREQ" count $args --on-error skip -o "$t/out" "$t/bad.tsv" 2> "$t/err"
    cmp "$t/out" "$t/want"
    [ "$(head -n 1 "$t/err")" = "ngfreq: warning: skipped 1 malformed line (--on-error skip):" ]
    grep -qxF "  $t/bad.tsv:$line: $2" "$t/err"
  done
}
check_case 'x\t1990\t5\n' "expected 4 tab-separated fields, got 3"
check_case 'x\t1990\t5\t2\t9\n' "expected 4 tab-separated fields, got 5"
check_case 'x\tabc\t5\t2\n' "year 'abc' is not a number"
check_case 'x\t-1990\t5\t2\n' "year '-1990' is not a number"
check_case 'x\t10000\t5\t2\n' "year 10000 is out of range 0-9999"
check_case 'x\t1990\t-5\t2\n' "match_count '-5' is not a non-negative integer"
check_case 'x\t1990\tfive\t2\n' "match_count 'five' is not a non-negative integer"
check_case 'x\t1990\t99999999999999999999\t2\n' "match_count 99999999999999999999 does not fit in 64 bits"
check_case 'x\t1990\t5\t-2\n' "volume_count '-2' is not a non-negative integer"
check_case '\t1990\t5\t2\n' "empty n-gram"
check_case 'x\0y\t1990\t5\t2\n' "NUL byte in n-gram"
check_case '\n' "empty line"
check_case '\x01\x9b[2J\xff\xfe\x00garbage\n' 'expected 4 tab-separated fields, got 1'
check_case 'x\t\x9b[2J\t5\t2\n' "year '\\x9b[2J' is not a number"

# The earliest of several bad lines wins, in every schedule, and skip names
# the first five of seven in input order.
{ cat "$t/head"; for i in 1 2 3 4 5 6 7; do printf 'bad%d\t1\n' $i; cat "$t/tail"; done; } > "$t/many.tsv"
for args in "${configs[@]}"; do
  expect_exit 1 "$NGFREQ" count $args "$t/many.tsv" 2> "$t/err"
  grep -qxF "ngfreq: error: $t/many.tsv:$line: expected 4 tab-separated fields, got 2" "$t/err"
  "$NGFREQ" count $args --on-error skip -t 1 "$t/many.tsv" > /dev/null 2> "$t/err"
  head -n 1 "$t/err" | grep -qxF "ngfreq: warning: skipped 7 malformed lines (--on-error skip), the first 5:"
  [ "$(grep -c "^  $t/many.tsv:[0-9]*: expected 4 tab-separated fields, got 2$" "$t/err")" -eq 5 ]
  grep -qxF "  $t/many.tsv:$(( line + 4 * ($(wc -l < "$t/tail") + 1) )): expected 4 tab-separated fields, got 2" "$t/err"
done

# A total that overflows 64 bits is an error, never a wrapped number.
printf 'x\t1990\t9223372036854775808\t1\nx\t1991\t9223372036854775808\t1\n' > "$t/ovf.tsv"
for args in "${configs[@]}"; do
  expect_exit 1 "$NGFREQ" count $args "$t/ovf.tsv" 2> "$t/err"
  grep -qxF "ngfreq: error: total match_count of 'x' overflows 64 bits" "$t/err"
done

# Accepted: CR LF line ends, no final newline, bytes that are not UTF-8,
# an empty file, and a line of 10 MB (longer than any partition).
{ cat "$t/head" "$t/tail"; } | sed 's/$/\r/' > "$t/crlf.tsv"
{ cat "$t/head" "$t/tail"; } | head -c -1 > "$t/nofinal.tsv"
printf 'caf\xe9\t1990\t3\t1\ncaf\xe9\t1991\t4\t1\n' > "$t/latin1.tsv"
python3 -c "
import sys
k = 'L' * (10 << 20)
sys.stdout.write('a\t1990\t1\t1\n' + k + '\t1990\t5\t2\n' + k + '\t1991\t6\t2\nb\t1990\t1\t1\n')" > "$t/long.tsv"
gzip -c "$t/long.tsv" > "$t/long.gz"
: > "$t/empty.tsv"
for args in "${configs[@]}"; do
  "$NGFREQ" count $args -o "$t/out" "$t/crlf.tsv"
  cmp "$t/out" "$t/want"
  "$NGFREQ" count $args -o "$t/out" "$t/nofinal.tsv"
  cmp "$t/out" "$t/want"
  "$NGFREQ" count $args -o "$t/out" "$t/latin1.tsv"
  printf 'caf\xe9\t7\n' | cmp - "$t/out"
  "$NGFREQ" count $args -w x -o "$t/out" "$t/empty.tsv" > "$t/words"
  [ ! -s "$t/out" ] && printf 'x\t0\n' | cmp - "$t/words"
done

# A 10 MB line is thousands of partitions long (millions at -p 1 or 7,
# which only shows the cost of empty partitions, so those are left out).
for args in "-e serial -p 4096" "-j 2 -p 4096" "-j 2" "-e process -j 2 -p 4096"; do
  for f in long.tsv long.gz; do
    "$NGFREQ" count $args -w a -w b -t 1 "$t/$f" | cut -c 1-3 > "$t/out"
    printf 'a\t1\nb\t1\nLLL\n' | cmp - "$t/out"
  done
done

# Corrupt gzip: the same byte-offset message from every executor.
cat "$t/head" "$t/tail" | gzip -c > "$t/g.gz"
size=$(stat -c %s "$t/g.gz")
head -c $(( size - 10 )) "$t/g.gz" > "$t/trunc.gz"
python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-8] ^= 1
open(sys.argv[2], 'wb').write(d)" "$t/g.gz" "$t/crc.gz"
for f in trunc crc; do
  "$NGFREQ" count -e serial "$t/$f.gz" 2> "$t/want-err" && exit 1
  grep -qE "^ngfreq: error: $t/$f.gz: byte [0-9]+: (truncated gzip data|gzip CRC mismatch)" "$t/want-err"
  for args in "${configs[@]}"; do
    rm -f "$t/out"
    expect_exit 1 "$NGFREQ" count $args -o "$t/out" "$t/$f.gz" 2> "$t/err"
    cmp "$t/err" "$t/want-err"
    [ ! -e "$t/out" ]
    # Corrupt compressed data is no line to skip: it still fails.
    expect_exit 1 "$NGFREQ" count $args --on-error skip "$t/$f.gz" 2> /dev/null
  done
done
# A reserved header flag bit (RFC 1952: must be rejected). zlib rejected it
# and ISA-L did not until fuzz/fuzz-gzip.cc found the difference.
python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[3] |= 0x20
open(sys.argv[2], 'wb').write(d)" "$t/g.gz" "$t/flags.gz"
for inflater in isal zlib; do
  expect_exit 1 "$NGFREQ" count --inflater $inflater "$t/flags.gz" 2> "$t/err"
  grep -qE "^ngfreq: error: $t/flags.gz: byte [0-9]+: corrupt gzip data \(unknown header flags set\)" "$t/err"
done
[ "$(ls "$t" | grep -c ngfreq-)" -eq 0 ]
echo OK
