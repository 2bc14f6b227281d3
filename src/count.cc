// run_count: the passes of a count, in order.
#include "ngfreq/count.h"

#include <fmt/format.h>
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>

#include "ngfreq/count-job.h"
#include "ngfreq/distributed-count.h"
#include "ngfreq/executor.h"
#include "ngfreq/shared-memory.h"
#include "ngfreq/stats.h"

namespace ngfreq {

// The CPUs this process may run on (its affinity mask), lowered to its
// cgroup's CPU quota when one is set: a container limited to 2 CPUs often
// sees all of the host's, and a worker a visible CPU would oversubscribe it.
int default_jobs() {
  cpu_set_t set;
  int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                         : int(std::thread::hardware_concurrency());
  // cpu.max reads "QUOTA PERIOD", or "max PERIOD" when there is no quota.
  long long quota = 0, period = 0;
  std::string cpu_max = read_system_file("/sys/fs/cgroup/cpu.max");
  if (std::sscanf(cpu_max.c_str(), "%lld %lld", &quota, &period) == 2 && quota > 0 && period > 0)
    cpus = std::min<i64>(cpus, std::max<i64>(1, (quota + period - 1) / period));
  return std::max(1, cpus);
}

int usable_jobs(int requested) {
  return requested <= 0 ? default_jobs() : std::min(requested, MAX_JOBS_PER_CORE * default_jobs());
}

static double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// A saturated total means a true total of 2^64 - 1 or more: report the
// smallest such n-gram so the message does not depend on scheduling.
static void check_overflow(const FreqTable& table) {
  if (!table.overflowed()) return;
  OverflowWatch overflow;
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++) overflow.check(table.shard(s));
  overflow.throw_if_any();
}

// Measured with -j 1 and 2 on the generated 'a' profile (2-core VM, one
// run): the process executor took 1.78 s / 0.95 s at fan-in 4, 1.65 s /
// 0.87 s at 8 and 1.61 s / 0.88 s at 16 (1.98 s / 1.04 s at 2 before the
// merge took runs); the thread executor took 1.48 s / 0.76 s at 2 and 8.
static constexpr int PROCESS_FAN_IN = 8;

int default_fan_in(ExecutorKind executor) { return executor == ExecutorKind::process ? PROCESS_FAN_IN : 2; }

// --reduce auto: ordered for a sorted listing (-o) of Google's formats,
// which come sorted by n-gram; partitioned otherwise. Case folding reorders
// keys, text is not sorted, a pipe's format is not known yet, and worker
// processes keep no runs.
static ReduceMode automatic_reduce(const CountOptions& opts, const detail::CountJob& job) {
  if (!opts.will_sort || opts.keys.ignore_case || opts.executor == ExecutorKind::process)
    return ReduceMode::partitioned;
  for (const InputFile& in : job.inputs)
    if (in.format == Format::text || (!in.seekable && !in.gzip)) return ReduceMode::partitioned;
  return ReduceMode::ordered;
}

// The memory budget and spill directory of a partitioned reduce.
static PartitionedSettings partitioned_settings(const CountOptions& opts, const detail::CountJob& job) {
  // Stream chunks in flight: the thread executor's pipeline tokens, or the
  // process executor's chunks inflated ahead.
  i64 stream_buffers = job.stream_inputs.empty() ? 0 : (2 * i64(job.jobs) + 1) * job.partition_size;
  PartitionedSettings s;
  s.budget = MemoryBudget::make(opts.memory_limit, job.jobs, stream_buffers);
  s.temp_dir = opts.temp_dir;
  s.mapping_threads = opts.executor == ExecutorKind::thread ? job.jobs : 1;
  s.jobs = job.jobs;
  s.will_sort = opts.will_sort;
  return s;
}

// The shuffle and gather of a count of several ranks: each rank ends with
// the totals it owns (or, unshuffled, its own), or rank 0 with every
// total; and every rank's figures in `stats.ranks`; the job's counters
// become the sums of every rank's.
static Totals combine_ranks(Totals local, Cluster& cluster, detail::CountJob& job, ReduceMode reduce,
                            const PartitionedSettings& settings, CountStats& stats) {
  int ranks = cluster.size();
  detail::ExchangeStats shuffle, gather;
  Totals owned = std::move(local);
  if (job.opts.gather && reduce == ReduceMode::ordered) {
    // Sorted inputs: every rank's totals are already in key order. (The
    // mode, not the totals, decides: it is every rank's, and a rank with
    // no work has no runs.)
    owned = detail::gather_ordered(std::move(owned), cluster, settings, gather);
  } else {
    if (job.opts.shuffle)
      owned = detail::exchange_totals(
          std::move(owned), cluster, [ranks](u64 hash) { return detail::owner_rank(hash, ranks); }, settings,
          shuffle);
    if (job.opts.gather)
      owned = detail::exchange_totals(
          std::move(owned), cluster, [](u64) { return 0; }, settings, gather);
  }

  RankStats mine{stats.map_seconds,
                 shuffle.seconds,
                 gather.seconds,
                 job.lines,
                 shuffle.bytes_sent + gather.bytes_sent,
                 shuffle.bytes_received + gather.bytes_received,
                 peak_rss_bytes()};
  std::string bytes(reinterpret_cast<const char*>(&mine), sizeof mine);
  for (const std::string& theirs : cluster.all_gather(bytes)) {
    RankStats r;
    std::memcpy(&r, theirs.data(), sizeof r);
    stats.ranks.push_back(r);
  }
  std::vector<i64> sums =
      cluster.all_sum({job.lines, job.input_bytes, job.progress.bytes_done, job.progress.partitions_total,
                       job.read_ns, job.map_ns, job.stream_wall_ns, job.stream_read_ns});
  job.lines = sums[0];
  job.input_bytes = sums[1];
  job.progress.bytes_done = sums[2];
  job.progress.partitions_total = sums[3];
  job.read_ns = sums[4];
  job.map_ns = sums[5];
  job.stream_wall_ns = sums[6];
  job.stream_read_ns = sums[7];
  return owned;
}

// Whether the first n-grams of a plain file's partitions come in order.
// Google's files are concatenations of sorted shards, each spanning the
// alphabet: a stream of one would break at its first shard's end, after
// mapping it for nothing, where this look at a line a partition sees it.
static bool partitions_in_order(const detail::CountJob& job) {
  const std::string& path = job.inputs[0].path;
  detail::UniqueFd fd(open_input(path));
  std::optional<std::string> before;
  for (const Partition& p : job.partitions) {
    std::optional<std::string> first = first_field(fd.get(), path, p);
    if (first && before && *first < *before) return false;
    if (first) before = std::move(first);
  }
  return true;
}

// Sorted rows are written while mapping (ordered-stream.h) for one plain
// file read by the ordered reduce in this process, whose partitions start
// in order, to an output that can take its rows back should the file prove
// not to be sorted after all: a pipe cannot be read again, nor rows sent
// down one taken back; a gzip file's partitions cannot be looked at first.
static bool can_stream(const StreamTarget* stream, const CountOptions& opts, const detail::CountJob& job,
                       const Cluster* cluster) {
  return stream && !cluster && opts.reduce == ReduceMode::ordered && job.inputs.size() == 1 &&
         job.inputs[0].seekable && stream->sorted.file.can_rewind() && partitions_in_order(job);
}

// One count; with a stream, it may end broken (stats.streaming), its
// totals incomplete.
static CountResult count_once(const CountOptions& options, const StreamTarget* stream) {
  CountOptions opts = options;
  if (opts.fan_in == 0) opts.fan_in = default_fan_in(opts.executor);
  if (opts.fan_in < 2) throw UsageError("--fan-in must be at least 2");
  if (opts.years.since > opts.years.until)
    throw UsageError(fmt::format("--since {} is after --until {}", opts.years.since, opts.years.until));
  int jobs = usable_jobs(opts.jobs);
  if (opts.executor == ExecutorKind::serial) jobs = 1;

  if (opts.retries < 0) throw UsageError("--retries must not be negative");
  if (opts.memory_limit < 0) throw UsageError("--memory-limit must not be negative");
  if (opts.memory_limit == 0) opts.memory_limit = default_memory_limit();
  if (opts.temp_dir.empty()) opts.temp_dir = default_temp_dir();

  // Resolve the inputs and plan the partitions. Nothing so far has run a
  // oneTBB algorithm or started a thread, so the process executor can fork
  // its workers here safely.
  // Across ranks, every rank learns whether this setup failed on any: a
  // file one machine cannot read must not leave the others waiting.
  Cluster* cluster = opts.cluster && opts.cluster->size() > 1 ? opts.cluster : nullptr;
  std::optional<detail::CountJob> planned;
  std::unique_ptr<detail::Executor> executor;
  run_agreed(cluster, [&] { planned.emplace(opts, expand_inputs(opts.inputs), jobs); });
  if (cluster) detail::keep_rank_share(*planned, *cluster);
  run_agreed(cluster, [&] {
    if (opts.reduce == ReduceMode::automatic) opts.reduce = automatic_reduce(opts, *planned);
    if (opts.reduce == ReduceMode::ordered && opts.executor == ExecutorKind::process)
      throw UsageError("--reduce ordered needs the serial or thread executor");
    executor = detail::make_executor(*planned);
  });
  detail::CountJob& job = *planned;
  PartitionedSettings settings = partitioned_settings(opts, job);
  Reducer reducer(opts.reduce, opts.fan_in, executor->parallel(), settings);
  bool streaming = can_stream(stream, opts, job, cluster);
  if (streaming) reducer.stream_into(std::make_unique<OrderedStream>(*stream));

  // Map every partition; tree merges start as tables arrive.
  auto start = std::chrono::steady_clock::now();
  {
    std::optional<detail::ClusterProgress> cluster_progress;
    ProgressMode mode = opts.on_progress ? ProgressMode::callback : opts.progress;
    // Every rank has the same options, so all or none of them sum.
    if (cluster && mode != ProgressMode::none) cluster_progress.emplace(*cluster, job.progress);
    if (cluster && cluster->rank() != 0) mode = ProgressMode::none;
    ProgressReporter reporter(cluster_progress ? cluster_progress->global() : job.progress, mode,
                              opts.on_progress);
    executor->map_all(job, reducer);
    job.progress.streams_pending = false;
    if (cluster_progress) cluster_progress->finish();
    reporter.stop();
  }
  CountResult result;
  result.stats.map_seconds = seconds_since(start);
  if (job.cancelled()) throw Cancelled();
  if (cluster) {
    detail::share_reports(job, *cluster);
    cluster->agreed_failure = true;  // every rank now throws the same error, or none
  }
  job.throw_first_error();
  if (cluster) cluster->agreed_failure = false;
  if (streaming) {
    result.stats.streaming = reducer.stream_broken() ? OrderedStreaming::broken : OrderedStreaming::yes;
    if (result.stats.streaming == OrderedStreaming::broken) return result;
  }
  result.skipped = job.skipped_lines();

  // Merge what is left into the final totals; across ranks, shuffle them to
  // their owners and gather the owners' sums on rank 0.
  auto reduce_start = std::chrono::steady_clock::now();
  result.totals = reducer.finish();
  if (cluster)
    result.totals =
        combine_ranks(std::move(result.totals), *cluster, job, opts.reduce, settings, result.stats);
  result.stats.reduce_seconds = seconds_since(reduce_start);
  if (result.totals.in_memory()) check_overflow(result.totals.table());

  CountStats& st = result.stats;
  st.read_busy_seconds = job.read_ns * 1e-9;
  st.map_busy_seconds = job.map_ns * 1e-9;
  st.stream_seconds = job.stream_wall_ns * 1e-9;
  st.stream_idle_seconds = (job.stream_wall_ns - job.stream_read_ns) * 1e-9;
  st.merge_busy_seconds = reducer.merge_seconds() + job.pool_merge_ns * 1e-9;
  st.partitions = job.progress.partitions_total;
  st.merges = reducer.merges() + job.pool_merges;
  st.lines = job.lines;
  st.input_bytes = job.input_bytes;
  st.file_bytes = job.progress.bytes_done;
  st.jobs = jobs;
  st.partition_size = job.partition_size;
  st.workers = job.worker_stats;
  return result;
}

CountResult run_count(const CountOptions& options, const StreamTarget* stream) {
  i64 start = stream ? stream->sorted.file.position() : 0;
  CountResult result = count_once(options, stream);
  if (result.stats.streaming != OrderedStreaming::broken) return result;
  // The file is not sorted after all: take back what was written and count
  // it again with runs kept to the end.
  stream->sorted.file.rewind(start);
  result = count_once(options, nullptr);
  result.stats.streaming = OrderedStreaming::broken;
  return result;
}

}  // namespace ngfreq
