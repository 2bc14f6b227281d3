# A short differential soak (scripts/soak): random inputs and options against
# an independent Python reference, from a fixed seed so that CI is repeatable.
. "$(dirname "$0")/common.inc"
command -v python3 > /dev/null || { echo "skipped: python3 is missing"; exit 0; }
python3 "$NGFREQ_SOURCE_DIR/scripts/soak" --ngfreq "$NGFREQ" --seed 20261122 --cases 400 --seconds 300 | tee "$t/soak.out"
grep -q '^400 passed, 0 failed$' "$t/soak.out"
echo OK
