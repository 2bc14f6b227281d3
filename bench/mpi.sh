#!/usr/bin/env bash
# Counts under Open MPI (issue 14) on this machine: `mpirun -np 2` with one
# thread a rank next to one process with two threads, interleaved, on
#   a        the 1-gram `a` profile (1.8 GB): `--since 1500 -w Aardvark`
#            (words alone: no shuffle)
#   a-top    the same with `--top 10`: every total is shuffled
#   by-year  `--by-year -o` of `generate --n 3 --size 600M` (16 M keys),
# each output checked byte-identical first; then the shuffle's bytes and
# times from --stats of one run; then weak scaling (`weak`): np 1 on one
# file, np 2 on two (the second of the same size, another seed), 1 thread
# a rank. Figures go to bench/results/mpi-*.csv; docs/scaling.md fits its
# model to them.
#
#   bench/mpi.sh
#   REPEAT=5 CASES="a weak" bench/mpi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ngfreq=${NGFREQ:-build/ngfreq}
repeat=${REPEAT:-3}
cases=${CASES:-"a a-top by-year weak"}
[ -x "$ngfreq" ] || { echo "build ngfreq first (cmake --build build)"; exit 1; }
command -v mpirun > /dev/null || { echo "no mpirun: apt-get install openmpi-bin libopenmpi-dev"; exit 1; }
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p bench/results datasets
a=datasets/googlebooks-eng-all-1gram-20120701-a
g3=datasets/bench-3gram-600M.tsv g3b=datasets/bench-3gram-600M-seed6.tsv
out=$(mktemp -d)
source bench/measure.sh
trap 'rm -rf "$out" "$timing"' EXIT
csv=bench/results/mpi-$(date +%Y%m%d-%H%M%S).csv
echo "case,command,jobs,median_wall_s,min_wall_s,max_wall_s,mb_per_s,peak_rss_mb" > "$csv"
# --bind-to none: two ranks of one thread each may use both cores as the
# single process's two threads do. --mca pml ob1: with no fast network
# here, Open MPI's probe of UCX cost 0.2 s a start (0.38 s -> 0.20 s for a
# job of two ranks that counts nothing); MPI_ARGS overrides it.
mpi_args=${MPI_ARGS:---mca pml ob1}
mpi="mpirun -np 2 --bind-to none $mpi_args $ngfreq"

# shuffle_figures CMD: the per-rank lines of --stats of one run of CMD.
shuffle_figures() {
  bash -c "${1/ count / count --stats }" 2>&1 > /dev/null | grep -E '^  (rank|wall time)' | sed 's/^/   /'
}

echo "ngfreq under mpirun, $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), median of $repeat"
for c in $cases; do
  case $c in
    a | a-top)
      bench_input "$a" "1-grams"
      query="-w Aardvark"
      [ "$c" = a ] || query="--top 10"
      one="$ngfreq count -j 2 --progress none --since 1500 $query $a"
      two="$mpi count -j 1 --progress none --since 1500 $query $a"
      [ "$(bash -c "$one")" = "$(bash -c "$two")" ] || { echo "np 2 disagrees"; exit 1; }
      measure_interleaved 2 "1 process, 2 threads" "$one" "mpirun -np 2, 1 thread a rank" "$two"
      shuffle_figures "$two"
      ;;
    by-year)
      bench_input "$g3" --n 3 --size 600M --seed 5 "--by-year -o"
      one="$ngfreq count -j 2 --progress none --by-year -o $out/one.tsv $g3"
      two="$mpi count -j 1 --progress none --by-year -o $out/two.tsv $g3"
      same_then_measure 2 "$out/one.tsv" "$out/two.tsv" "1 process, 2 threads" "$one" "mpirun -np 2, 1 thread a rank" "$two"
      shuffle_figures "$two"
      ;;
    weak)
      [ -f "$g3" ] || "$ngfreq" generate --n 3 --size 600M --seed 5 -o "$g3"
      [ -f "$g3b" ] || "$ngfreq" generate --n 3 --size 600M --seed 6 -o "$g3b"
      cat "$g3" "$g3b" > /dev/null
      bytes=$(stat -L -c %s "$g3")
      echo "-- weak scaling, --by-year -o, 1 thread a rank: np 1 on $g3, np 2 on it and $g3b (MB/s a rank)"
      measure_interleaved 1 \
        "np 1, 600 MB" "mpirun -np 1 $mpi_args $ngfreq count -j 1 --progress none --by-year -o $out/w1.tsv $g3" \
        "np 2, 1200 MB" "$mpi count -j 1 --progress none --by-year -o $out/w2.tsv $g3 $g3b"
      shuffle_figures "$mpi count -j 1 --progress none --by-year -o $out/w2.tsv $g3 $g3b"
      ;;
    *) echo "unknown case $c"; exit 1 ;;
  esac
done
echo "figures: $csv"
