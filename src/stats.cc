#include "ngfreq/stats.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <cstdio>

namespace ngfreq {

i64 peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return i64(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

i64 peak_children_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return i64(ru.ru_maxrss) * 1024;
}

void print_stats(const CountStats& st, i64 distinct, double output_seconds, double total_seconds) {
  auto mb = [](double bytes) { return bytes / 1e6; };
  double rate = total_seconds > 0 ? mb(st.input_bytes) / total_seconds : 0;
  fmt::print(stderr,
             "ngfreq stats:\n"
             "  wall time        {:8.3f} s  (map {:.3f} s, reduce tail {:.3f} s, output {:.3f} s)\n"
             "  busy, all workers{:8.3f} s read/inflate, {:.3f} s map, {:.3f} s merge\n"
             "  jobs             {:8}\n"
             "  partitions       {:8}  (partition size {} bytes), {} merges\n"
             "  lines            {:8}\n"
             "  distinct n-grams {:>8}\n"
             "  input            {:8.1f} MB parsed, {:.1f} MB read from files\n"
             "  throughput       {:8.1f} MB/s\n"
             "  peak memory      {:8.1f} MB (max RSS)\n",
             total_seconds, st.map_seconds, st.reduce_seconds, output_seconds, st.read_busy_seconds,
             st.map_busy_seconds, st.merge_busy_seconds, st.jobs, st.partitions, st.partition_size, st.merges,
             st.lines,
             // Unknown when the ranks of a -w query kept their totals (count.h: shuffle).
             distinct >= 0 ? std::to_string(distinct) : "not counted (-w across ranks needs no shuffle)",
             mb(st.input_bytes), mb(st.file_bytes), rate, mb(peak_rss_bytes()));
  // Whether the inflater ever waited for the maps: they should keep up.
  if (st.stream_seconds > 0)
    fmt::print(stderr,
               "  stream reading   {:8.3f} s, of which {:.3f} s idle (waiting for a map to take a chunk)\n",
               st.stream_seconds, st.stream_idle_seconds);
  if (st.streaming == OrderedStreaming::yes)
    fmt::print(stderr, "  sorted rows      written while mapping (a sorted file)\n");
  if (st.streaming == OrderedStreaming::broken)
    fmt::print(stderr, "  sorted rows      counted twice: the file proved not to be sorted\n");
  for (size_t i = 0; i < st.workers.size(); i++) {
    const WorkerStats& w = st.workers[i];
    fmt::print(stderr, "  worker {:<3}       {:8} tasks, {:.1f} MB mapped, {:.3f} s busy{}\n", i, w.tasks,
               mb(w.bytes_mapped), w.busy_seconds,
               w.restarts ? fmt::format(", {} restart{}", w.restarts, w.restarts == 1 ? "" : "s") : "");
  }
  if (!st.workers.empty())
    fmt::print(stderr, "  peak memory      {:8.1f} MB (max RSS of any worker)\n",
               mb(peak_children_rss_bytes()));
  // An MPI job: the figures above are every rank's sums, but for peak
  // memory and the workers, which are rank 0's; a rank's peak RSS is taken
  // before rank 0 writes the output.
  for (size_t i = 0; i < st.ranks.size(); i++) {
    const RankStats& r = st.ranks[i];
    fmt::print(stderr,
               "  rank {:<4}        {:8} lines, map {:.3f} s, shuffle {:.3f} s, gather {:.3f} s, {:.1f} MB "
               "sent, {:.1f} MB received, {:.1f} MB peak RSS\n",
               i, r.lines, r.map_seconds, r.shuffle_seconds, r.gather_seconds, mb(r.bytes_sent),
               mb(r.bytes_received), mb(r.peak_rss_bytes));
  }
}

void print_spill_stats(const FinalizeStats& fin, const SpillStats& sort, i64 memory_limit) {
  auto mb = [](double bytes) { return bytes / 1e6; };
  fmt::print(stderr, "  memory limit     {:8.1f} MB\n", mb(memory_limit));
  if (fin.spills == 0 && sort.blocks == 0) {
    fmt::print(stderr, "  spilled          {:>8}\n", "nothing");
    return;
  }
  std::string partitions =
      fin.partitions_spilled > 0 ? fmt::format(", {} partitions", fin.partitions_spilled) : "";
  fmt::print(stderr,
             "  spilled          {:8.1f} MB on disk ({:.1f} MB of records), {} spills{}, {} pass{}\n"
             "  sorted pieces    {:8.1f} MB on disk ({:.1f} MB of records)\n"
             "  peak temp disk   {:8.1f} MB\n",
             mb(fin.disk.bytes_written), mb(fin.disk.raw_bytes), fin.spills, partitions, fin.passes,
             fin.passes == 1 ? "" : "es", mb(sort.bytes_written), mb(sort.raw_bytes), mb(peak_temp_disk()));
}

}  // namespace ngfreq
