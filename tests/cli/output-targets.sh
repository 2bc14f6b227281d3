# Where output goes (issue 17): a symlink's target is replaced and the link
# stays; a device, a FIFO, a socket and /dev/fd/1 are written in place and
# stay what they were; a directory is an error; permissions survive; a full
# file system, an unwritable directory, a read-only file, two runs at once,
# small ulimits, -j 4096 and -p 1 end in a clear message or a right answer,
# with nothing lost and nothing left behind. Everything happens inside the
# test's own directory: no system path is ever written.
. "$(dirname "$0")/common.inc"
cd "$t"
make_corpus > c.tsv
awk_reference c.tsv > want
nothing_left() { [ "$(ls -A | grep -c 'ngfreq-')" -eq 0 ] || { echo "left behind: $(ls | grep ngfreq-)"; return 1; }; }
# ngfreq's own shared memory objects; Open MPI's (the MPI test may run at
# the same time) are not its to clean.
shm_count() { ls /dev/shm 2> /dev/null | grep -cv '^vader_segment\.' || true; }
shm_before=$(shm_count)

# A symlink: its target gets the rows, the link stays a link; a dangling
# link creates its target; a chain of relative links is followed.
echo old > real.tsv
ln -s real.tsv link.tsv
"$NGFREQ" count -o link.tsv c.tsv
[ -L link.tsv ] && [ "$(readlink link.tsv)" = real.tsv ]
cmp real.tsv want
mkdir sub
ln -s new.tsv sub/dangling.tsv
ln -s sub/dangling.tsv chain.tsv
"$NGFREQ" count -o chain.tsv c.tsv
[ -L chain.tsv ] && [ -L sub/dangling.tsv ]
cmp sub/new.tsv want
nothing_left
# generate, tune's CSV and plot write through links the same way.
ln -s gen-real.tsv gen.tsv
"$NGFREQ" generate --size 20K -o gen.tsv 2> /dev/null
[ -L gen.tsv ] && [ -s gen-real.tsv ]
ln -s tune-real.csv tune.csv
ln -s tune-real.svg tune.svg
"$NGFREQ" tune --sizes 4K --repeat 1 -j 1 --csv tune.csv --plot tune.svg c.tsv > /dev/null 2>&1
[ -L tune.csv ] && [ -s tune-real.csv ]
if command -v gnuplot > /dev/null; then [ -L tune.svg ] && grep -q '<svg' tune-real.svg; fi

# The replaced file keeps its permissions.
cp want perm.tsv
chmod 640 perm.tsv
"$NGFREQ" count -o perm.tsv c.tsv
[ "$(stat -c %a perm.tsv)" = 640 ]

# A directory is an error before any work.
mkdir out.dir
expect_exit 1 "$NGFREQ" count -o out.dir c.tsv 2> err
grep -qx "ngfreq: error: cannot write 'out.dir': is a directory" err

# A FIFO with a reader: the reader gets the rows, the FIFO stays a FIFO.
mkfifo fifo
cat fifo > from-fifo &
reader=$!
"$NGFREQ" count -o fifo c.tsv
wait "$reader"
[ -p fifo ]
cmp from-fifo want

# A Unix socket with a listener: it gets the rows.
python3 - <<'PY' &
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("sock")
s.listen(1)
open("sock-ready", "w").close()
c, _ = s.accept()
data = b""
while chunk := c.recv(65536):
    data += chunk
open("from-sock", "wb").write(data)
PY
listener=$!
for _ in $(seq 100); do [ -e sock-ready ] && break; sleep 0.05; done
"$NGFREQ" count -o sock c.tsv
wait "$listener"
[ -S sock ]
cmp from-sock want

# /dev/fd/1, and a link to it, write to standard output as it is.
"$NGFREQ" count -o /dev/fd/1 c.tsv > from-fd1
cmp from-fd1 want
ln -s /dev/fd/1 fd-link
"$NGFREQ" count -o fd-link c.tsv | cat > from-fd-link
cmp from-fd-link want
[ -L fd-link ]

# A character device made here (the numbers of /dev/null): written, not
# replaced. Making one needs root.
if [ "$(id -u)" -eq 0 ] && mknod null c 1 3 2> /dev/null; then
  "$NGFREQ" count -o null c.tsv
  [ -c null ]
else
  echo "note: not root: the character device case is not checked"
fi

# -o the input itself: the input is read whole before the rename replaces it.
cp c.tsv self.tsv
"$NGFREQ" count -o self.tsv self.tsv
cmp self.tsv want

# Two runs writing one output at once: it ends whole, from one of them.
"$NGFREQ" generate --size 2M --seed 4 -o big.tsv 2> /dev/null
awk_reference big.tsv > want.big
"$NGFREQ" count -j 1 -o both.tsv big.tsv &
first=$!
"$NGFREQ" count -j 1 -o both.tsv big.tsv
wait "$first"
cmp both.tsv want.big
nothing_left

# A full file system (a 1 MB tmpfs, where root may mount one): exit 1, the
# old output intact, no temporary file.
"$NGFREQ" generate -f text --size 2M --seed 5 -o t.txt 2> /dev/null
if [ "$(id -u)" -eq 0 ] && mkdir tiny && mount -t tmpfs -o size=1m tmpfs tiny 2> /dev/null; then
  echo previous > tiny/out.tsv
  rc=0
  "$NGFREQ" count --ngram 3 -o tiny/out.tsv t.txt 2> err || rc=$?
  ls -A tiny > tiny-left
  [ "$(cat tiny/out.tsv)" = previous ] && keep=yes || keep=no
  umount tiny
  [ "$rc" -eq 1 ]
  grep -qx "ngfreq: error: cannot write 'tiny/out.tsv': No space left on device" err
  [ "$keep" = yes ]
  [ "$(cat tiny-left)" = out.tsv ]
else
  echo "note: no tmpfs could be mounted here: the full file system case is covered by ulimit -f (interrupt-and-limits.sh)"
fi

# An unwritable directory and a read-only file, as a user without root's
# rights: exit 1 naming the path, nothing changed.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv > /dev/null; then as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
  chmod 755 "$t"
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  mkdir locked
  chmod 555 locked
  chmod 644 c.tsv
  expect_exit 1 "${as_user[@]}" "$NGFREQ" count -o locked/out.tsv c.tsv 2> err
  grep -qx "ngfreq: error: cannot create 'locked/out.tsv': Permission denied" err
  mkdir open
  chmod 777 open
  echo precious > open/ro.tsv
  chmod 444 open/ro.tsv
  expect_exit 1 "${as_user[@]}" "$NGFREQ" count -o open/ro.tsv c.tsv 2> err
  grep -qx "ngfreq: error: cannot write 'open/ro.tsv': Permission denied" err
  [ "$(cat open/ro.tsv)" = precious ]
  [ -z "$(ls -A locked)" ] && [ "$(ls -A open)" = ro.tsv ]
else
  echo "note: root without setpriv: the permission cases are not checked"
fi

# Small limits on a high-cardinality count: a right answer or a one-line
# error naming the limit, never a crash.
"$NGFREQ" count --ngram 3 -o want.t3 t.txt
limits=("-n 6" "-n 20" "-v 100000" "-v 400000")
part_bytes=3000000
# A sanitizer's shadow memory cannot live under an address space limit,
# and its checks misfire once every descriptor is taken (UBSan's vptr check
# reports objects it cannot read): the release build checks those limits.
if [ "${NGFREQ_SANITIZER:-none}" != none ]; then
  echo "note: a sanitizer build: the ulimit -v and ulimit -n 6 cases are not checked"
  limits=("-n 20")
  part_bytes=300000  # a partition a byte: ThreadSanitizer's own allocator runs out on 3 MB
fi
for limit in "${limits[@]}"; do
  for e in thread process; do
    rc=0
    (ulimit $limit; "$NGFREQ" count --ngram 3 -e $e -o got.t3 t.txt 2> err) || rc=$?
    if [ "$rc" -eq 0 ]; then
      cmp got.t3 want.t3
    else
      [ "$rc" -eq 1 ] || { echo "ulimit $limit -e $e: exit $rc"; cat err; exit 1; }
      [ "$(wc -l < err)" -eq 1 ] || { echo "ulimit $limit -e $e: more than one line"; cat err; exit 1; }
      grep -q "ulimit ${limit% *}" err || { echo "ulimit $limit -e $e: the limit is not named"; cat err; exit 1; }
    fi
    nothing_left
  done
done

# -j 4096: a warning, and no more workers than a few a core.
"$NGFREQ" count -j 4096 -e process -o got c.tsv 2> err
cmp got want
grep -q "^ngfreq: warning: -j 4096 is more than 4 jobs a core" err
# -p 1 on a few MB: every byte a partition, the right answer.
head -c $part_bytes big.tsv | sed '$d' > part.tsv
awk_reference part.tsv > want.part
for e in thread process; do
  "$NGFREQ" count -p 1 -e $e -o got part.tsv
  cmp got want.part
done
nothing_left
[ "$(shm_count)" -le "$shm_before" ]
echo OK
