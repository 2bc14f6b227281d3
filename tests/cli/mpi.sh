# mpirun -np 1..4: the count of an MPI job is byte-identical to one
# process's, over the formats and options of the other CLI tests, with a
# forced spill, both executors, and once over TCP only; a bad line on any
# rank is the same FILE:LINE error; a rank killed mid-run ends the job with
# no output and no temporary file.
. "$(dirname "$0")/common.inc"
command -v mpirun > /dev/null || { echo "skipped: no mpirun (apt-get install openmpi-bin libopenmpi-dev)"; exit 0; }
# Open MPI is not built with ThreadSanitizer, which then cannot see its
# synchronisation (as with Debian's oneTBB, scripts/tsan); and it keeps
# allocations past MPI_Finalize, which LeakSanitizer would report as ours.
[ "${NGFREQ_SANITIZER:-none}" != thread ] || { echo "skipped: Open MPI is not built with TSan"; exit 0; }
[ "${NGFREQ_SANITIZER:-none}" != address ] || export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
cd "$t"
export OMPI_MCA_rmaps_base_oversubscribe=1
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# mpirun NP ARGS...: ngfreq ARGS as NP ranks (stdout and stderr kept); a
# job that hangs (a rank left waiting in a collective) fails with 124.
mpi() {
  local np=$1
  shift
  timeout 120 mpirun -np "$np" ${MPI_ARGS:-} "$NGFREQ" "$@"
}

# Small partitions, so that every rank gets several of each file.
"$NGFREQ" generate --size 6M --seed 11 -o v2.tsv 2> /dev/null
"$NGFREQ" generate --size 2M --seed 12 --gzip -o v2.gz 2> /dev/null
"$NGFREQ" generate --size 2M --seed 13 --gzip -o more.gz 2> /dev/null
"$NGFREQ" generate -f v3 --n 2 --size 3M --seed 14 -o v3.tsv 2> /dev/null
"$NGFREQ" generate -f text --size 2M --seed 15 -o t.txt 2> /dev/null
corpus=(v2.tsv v2.gz more.gz)

# same NAME ARGS...: one process and NP = 1..4 ranks write the same -o and
# the same standard output.
same() {
  local name=$1
  shift
  "$NGFREQ" count -p 256K "$@" -o "want.$name" > want.out
  for np in 1 2 3 4; do
    rm -f "got.$name"
    mpi "$np" count -p 256K "$@" -o "got.$name" > got.out
    cmp "want.$name" "got.$name" || { echo "-o differs with $np ranks: $*"; exit 1; }
    cmp want.out got.out || { echo "stdout differs with $np ranks: $*"; exit 1; }
  done
}
same tsv "${corpus[@]}"
same top "${corpus[@]}" --top 20 -w "$(head -1 v2.tsv | cut -f1)" -w no-such-ngram
same by-year "${corpus[@]}" --by-year --volumes
same csv "${corpus[@]}" --ignore-case --min-count 50 --output-format csv
same jsonl "${corpus[@]}" --since 1900 --until 1990 --output-format jsonl
same v3 v3.tsv v2.tsv --tags drop
same text --ngram 3 t.txt
same spill "${corpus[@]}" --by-year --memory-limit 1 --temp-dir "$t"
same process "${corpus[@]}" -e process -j 2
# One partition: the ranks but one have no work, and no runs to send.
head -100 v2.tsv > small.tsv
same small small.tsv --by-year
# The path between hosts: TCP only, no shared-memory transport.
# same_answer ARGS...: without -o, each rank answers for the keys it owns
# and rank 0 joins the answers: the same standard output (the summary's
# time left out).
same_answer() {
  "$NGFREQ" count -p 256K "$@" | sed 's/ in [0-9.]* s$//' > want.out
  for np in 2 3 4; do
    mpi "$np" count -p 256K "$@" | sed 's/ in [0-9.]* s$//' > got.out
    cmp want.out got.out || { echo "stdout differs with $np ranks: $*"; exit 1; }
  done
}
word=$(head -1 v2.tsv | cut -f1)
same_answer "${corpus[@]}"
same_answer "${corpus[@]}" --top 25 --min-count 10 -w "$word" -w no-such-ngram --volumes
same_answer "${corpus[@]}" --by-year --top 7 -w "$word" -w no-such-ngram --output-format csv
same_answer --ngram 2 t.txt --top 30 --output-format jsonl
# Words alone: no shuffle, each rank's rows for them add up.
same_answer "${corpus[@]}" -w "$word" -w no-such-ngram --volumes
same_answer "${corpus[@]}" --by-year -w "$word" -w "$(sed -n 5000p v2.tsv | cut -f1)" --output-format csv
# ... also past 2^64 - 1, where two ranks' parts of a total overflow: the
# same error as one process's, once.
printf 'x\t1990\t9223372036854775808\t1\n' > ovf1.tsv
cp ovf1.tsv ovf2.tsv
rc=0
mpi 2 count -w x ovf1.tsv ovf2.tsv 2> err || rc=$?
[ "$rc" -eq 1 ] && [ "$(grep '^ngfreq: error' err)" = "ngfreq: error: total match_count of 'x' overflows 64 bits" ] ||
  { cat err; exit 1; }
grep -q "distinct n-grams" <(mpi 3 count "${corpus[@]}")

"$NGFREQ" count "${corpus[@]}" --by-year -o want.tcp
MPI_ARGS="--mca btl tcp,self" mpi 3 count -p 256K "${corpus[@]}" --by-year -o got.tcp
cmp want.tcp got.tcp

# SQLite: the same table.
"$NGFREQ" count "${corpus[@]}" -o want.sqlite
mpi 3 count -p 256K "${corpus[@]}" -o got.sqlite
[ "$(sqlite3 want.sqlite 'SELECT * FROM ngrams')" = "$(sqlite3 got.sqlite 'SELECT * FROM ngrams')" ]

# The default listing's summary names the lines of every rank.
mpi 2 count -p 256K "${corpus[@]}" > summary
lines=$( (cat v2.tsv; gzip -dc v2.gz more.gz) | wc -l)
grep -q " matches in $lines lines " summary

# --stats on rank 0 lists every rank.
mpi 3 count -p 256K "${corpus[@]}" --stats -t 1 2> stats > /dev/null
[ "$(grep -c '^  rank [0-9].* MB received, [0-9.]* MB peak RSS$' stats)" -eq 3 ]
# Sorted inputs and -o: no shuffle, only the gather of each rank's merged
# runs; unsorted (case-folded) keys are shuffled first.
mpi 2 count -p 256K "${corpus[@]}" --stats -o sorted.tsv 2> stats
[ "$(grep -c '^  rank [0-9].* shuffle 0.000 s, gather [0-9.]* s,' stats)" -eq 2 ]
mpi 2 count -p 256K "${corpus[@]}" --stats --ignore-case -o folded.tsv 2> stats
[ "$(grep -c '^  rank [0-9].* shuffle 0.000 s,' stats)" -eq 0 ]

# The ranks' shares are even in cost, not bytes: a file of short lines,
# then as many bytes of long lines, split by bytes, gave rank 0 of 2 90%
# of the lines.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "a%d\t2000\t1\t1\n", i % 10
             for (i = 0; i < 24000; i++) printf "%0100d\t2000\t1\t1\n", i }' > uneven.tsv
mpi 2 count -p 64K uneven.tsv --stats -w a1 2> stats > /dev/null
rank0=$(sed -n 's/^  rank 0 *\([0-9]*\) lines.*/\1/p' stats)
[ "$rank0" -gt 0 ] && [ "$rank0" -lt $((224000 * 75 / 100)) ] || { echo "rank 0 mapped $rank0 of 224000 lines"; exit 1; }

# A bad line: the same message and status, whichever rank read it, and no
# output file.
{ head -100000 v2.tsv; printf 'broken line\n'; tail -n +100001 v2.tsv; } > bad.tsv
rc=0
"$NGFREQ" count -p 256K v2.gz bad.tsv -o out.bad 2> want.err || rc=$?
[ "$rc" -eq 1 ]
grep -q "bad.tsv:100001:" want.err
for np in 2 3 4; do
  rc=0
  mpi "$np" count -p 256K v2.gz bad.tsv -o out.bad > /dev/null 2> got.err || rc=$?
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || { echo "a bad line with $np ranks: exit $rc"; exit 1; }
  [ "$(grep -c '^ngfreq: error' got.err)" -eq 1 ] || { cat got.err; exit 1; }
  grep -qF "$(cat want.err)" got.err
  [ ! -e out.bad ]
done
# --on-error skip: the same rows and the same report of the skipped line.
"$NGFREQ" count -p 256K v2.gz bad.tsv --on-error skip -o want.skip 2> want.err
mpi 3 count -p 256K v2.gz bad.tsv --on-error skip -o got.skip 2> got.err
cmp want.skip got.skip
grep -qF "$(head -1 want.err)" got.err

# Standard input (and any pipe) is read by rank 0, the only rank mpirun
# gives it to, wherever the gzip files go.
gzip -dc v2.gz | "$NGFREQ" count -p 256K v2.tsv - -o want.stdin
for np in 2 3; do
  gzip -dc v2.gz | mpi "$np" count -p 256K v2.tsv - -o got.stdin
  cmp want.stdin got.stdin || { echo "standard input lost with $np ranks"; exit 1; }
done

# An error of one rank during the map (here every rank's spill fails):
# the job ends with its message and exit 1, never a crash or a hang.
for _ in 1 2 3; do
  rc=0
  mpi 2 count -p 256K "${corpus[@]}" --by-year --memory-limit 1 --temp-dir /proc -o out.fail 2> err || rc=$?
  [ "$rc" -eq 1 ] || { echo "a failed spill: exit $rc"; cat err; exit 1; }
  grep -q "^ngfreq: error (rank [01] of 2): cannot create a spill file in '/proc'" err || { cat err; exit 1; }
  [ ! -e out.fail ]
done

# Only count runs across ranks.
rc=0
mpi 2 generate --size 1M -o gen.tsv 2> err || rc=$?
[ "$rc" -eq 2 ] && grep -q "only 'ngfreq count' runs across ranks" err && [ ! -e gen.tsv ]
# A bad output path fails every rank at once, not after the count.
rc=0
timeout 60 mpirun -np 2 "$NGFREQ" count v2.tsv -o no-such-dir/out 2> err || rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "no-such-dir" err

# A rank killed mid-run: rank 0 reads a FIFO that never ends while rank 1
# waits for it; killing rank 1 ends the job, non-zero, with no output and
# no temporary file.
mkfifo pipe
mkdir tmp
sleep 600 > pipe &
writer=$!
# Over TCP: a rank killed with -9 cannot remove its shared-memory segment
# (/dev/shm/vader_segment.*), which Open MPI would leave behind.
mpirun -np 2 --mca btl tcp,self "$NGFREQ" count v2.tsv pipe -p 256K -o killed.tsv --temp-dir tmp > /dev/null 2>&1 &
job=$!
victim=
for _ in $(seq 100); do
  for pid in $(pgrep -f "ngfreq count v2.tsv pipe" || true); do
    tr '\0' '\n' < "/proc/$pid/environ" 2> /dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1' && victim=$pid
  done
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] || { echo "rank 1 never started"; exit 1; }
sleep 0.5
kill -9 "$victim"
rc=0
wait "$job" || rc=$?
kill "$writer" 2> /dev/null || true
[ "$rc" -ne 0 ] || { echo "a killed rank: mpirun exited 0"; exit 1; }
[ -z "$(ls -A tmp)" ]
[ -z "$(ls -A . | grep -i 'killed')" ] || { ls -la; exit 1; }

# Ctrl-C to mpirun stops every rank: non-zero, nothing left behind.
sleep 600 > pipe &
writer=$!
mpirun -np 2 "$NGFREQ" count v2.tsv pipe -p 256K -o interrupted.tsv --temp-dir tmp > /dev/null 2>&1 &
job=$!
for _ in $(seq 100); do
  [ "$(pgrep -fc "ngfreq count v2.tsv pipe" || true)" -ge 2 ] && break
  sleep 0.1
done
sleep 0.5
kill -INT "$job"
rc=0
wait "$job" || rc=$?
kill "$writer" 2> /dev/null || true
[ "$rc" -ne 0 ]
for _ in $(seq 50); do
  [ "$(pgrep -fc "ngfreq count v2.tsv pipe" || true)" -eq 0 ] && break
  sleep 0.1
done
[ "$(pgrep -fc "ngfreq count v2.tsv pipe" || true)" -eq 0 ] || { echo "ranks survived Ctrl-C"; exit 1; }
[ -z "$(ls -A tmp)" ]
[ -z "$(ls -A . | grep -i 'interrupted')" ] || { ls -la; exit 1; }
echo ok
