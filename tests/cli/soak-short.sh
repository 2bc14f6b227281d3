# A short differential soak (scripts/soak): random inputs and options against
# an independent Python reference, from a fixed seed so that CI is repeatable.
# A fixed number of cases and no clock: on a loaded CI machine a time cap
# ran fewer cases and failed a run that had no mismatch.
. "$(dirname "$0")/common.inc"
command -v python3 > /dev/null || { echo "skipped: python3 is missing"; exit 0; }
cases=200
python3 "$NGFREQ_SOURCE_DIR/scripts/soak" --ngfreq "$NGFREQ" --seed 20261122 --cases $cases --seconds 0 | tee "$t/soak.out"
grep -q "^$cases passed, 0 failed\$" "$t/soak.out"
echo OK
