# tune and bench on a small generated input: CSV rows and columns with
# positive numbers, and a real SVG or PNG when gnuplot is installed. Never
# asserts on speed.
. "$(dirname "$0")/common.inc"
"$NGFREQ" generate --size 2M -o "$t/c.tsv" 2> /dev/null

# check_csv FILE ROWS COLUMN...: a header naming every COLUMN, ROWS data
# rows, and a positive number in each named column of every row.
check_csv() {
  local file=$1 rows=$2
  shift 2
  [ "$(($(wc -l < "$file") - 1))" -eq "$rows" ] || { echo "$file: expected $rows rows"; cat "$file"; return 1; }
  for col in "$@"; do
    awk -F, -v col="$col" '
      NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; if (!c) { print "no column " col; exit 1 } next }
      !($c + 0 > 0) { print "row " NR ": " col " = " $c " is not positive"; exit 1 }' "$file"
  done
}

# check_plot FILE: an SVG or a PNG, or a skip message without gnuplot.
check_plot() {
  if ! command -v gnuplot > /dev/null; then
    echo "gnuplot missing: not checking $1"
    return 0
  fi
  [ -s "$1" ] || { echo "$1: missing or empty"; return 1; }
  local magic
  magic=$(head -c 5 "$1" | od -An -c | tr -d ' ')
  case "$magic" in
    '<svg'* | '<?xm'* | '211PNG'*) ;;
    *) echo "$1: neither SVG nor PNG: $magic"; return 1 ;;
  esac
}

"$NGFREQ" tune --repeat 1 --sizes 64K,1M -j 1,2 --csv "$t/tune.csv" --plot "$t/tune.svg" "$t/c.tsv" \
  > "$t/tune.out" 2> "$t/tune.err"
head -1 "$t/tune.csv" | grep -q '^executor,jobs,point,partition_size,partitions,repeats,wall_median_s,'
# Two sizes and the default's point, for each of two job counts.
check_csv "$t/tune.csv" 6 jobs partition_size partitions wall_median_s mb_per_s
[ "$(grep -c ',sweep,' "$t/tune.csv")" -eq 4 ]
grep -q 'than the best' "$t/tune.out"
grep -q 'run 12/12 (0 left), round 1/1' "$t/tune.err"
check_plot "$t/tune.svg"

# Both executors in one sweep: a row each per size and the default's point.
"$NGFREQ" tune --repeat 1 --sizes 1M -j 2 -e thread,process --csv "$t/exec.csv" "$t/c.tsv" > /dev/null 2>&1
check_csv "$t/exec.csv" 4 jobs partition_size wall_median_s
[ "$(grep -c '^process,' "$t/exec.csv")" -eq 2 ]
[ "$(grep -c '^thread,' "$t/exec.csv")" -eq 2 ]

"$NGFREQ" bench --generate 2M --repeat 1 -j 1,2 --reduce tree,serial --csv "$t/bench.csv" \
  --plot "$t/bench.png" > "$t/bench.out" 2> /dev/null
head -1 "$t/bench.csv" | grep -q '^mode,executor,reduce,jobs,input_bytes,'
check_csv "$t/bench.csv" 4 jobs input_bytes wall_median_s speedup efficiency
grep -q 'Amdahl fit' "$t/bench.out"
grep -q 'a projection from the measured points' "$t/bench.out"
check_plot "$t/bench.png"

"$NGFREQ" bench --weak --generate 1M --repeat 1 -j 1,2 --csv "$t/weak.csv" > /dev/null 2>&1
check_csv "$t/weak.csv" 2 jobs input_bytes wall_median_s speedup
# The input grows with the job count.
[ "$(awk -F, 'NR == 3 { print $5 }' "$t/weak.csv")" -gt "$(awk -F, 'NR == 2 { print $5 }' "$t/weak.csv")" ]

# Usage errors exit 2 before measuring anything.
expect_exit 2 "$NGFREQ" tune -e fibers "$t/c.tsv" 2> /dev/null
not "$NGFREQ" tune -e fibers "$t/c.tsv" |& grep -q "unknown executor 'fibers'"
expect_exit 2 "$NGFREQ" tune --plot "$t/x.pdf" "$t/c.tsv" 2> /dev/null
expect_exit 2 "$NGFREQ" bench --weak "$t/c.tsv" 2> /dev/null
expect_exit 2 "$NGFREQ" bench 2> /dev/null
echo OK
