// ngfreq count: the parallel map-reduce over n-gram files.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "ngfreq/byte-source.h"
#include "ngfreq/cluster.h"
#include "ngfreq/common.h"
#include "ngfreq/formats.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/progress.h"
#include "ngfreq/reducer.h"
#include "ngfreq/totals.h"
#include "ngfreq/v2-parser.h"

namespace ngfreq {

enum class ExecutorKind {
  serial,   // everything on the calling thread
  thread,   // a oneTBB thread pool
  process,  // a pool of worker processes (process-pool.h)
};

/// The longest n-gram counted in text.
inline constexpr int MAX_TEXT_NGRAM = 100;

struct CountOptions {
  /// Files, directories and "-" (standard input).
  std::vector<std::string> inputs;
  ExecutorKind executor = ExecutorKind::thread;
  /// Workers; 0 means every core.
  int jobs = 0;
  /// Bytes a partition; 0 means default_partition_size().
  i64 partition_size = 0;
  ReduceMode reduce = ReduceMode::automatic;
  /// Tables a tree merge takes at once; 0 means default_fan_in(executor).
  int fan_in = 0;
  YearFilter years;
  /// The input format; automatic: each file's from its first line.
  Format format = Format::automatic;
  /// --tags, --ignore-case, --by-year.
  KeyOptions keys;
  /// Text input: how lines split into words, and words an n-gram (1 to
  /// MAX_TEXT_NGRAM).
  Tokenizer tokenizer = Tokenizer::whitespace;
  int ngram = 1;
  /// What a malformed line does: fail the run, or be left out and reported.
  OnError on_error = OnError::fail;
  ProgressMode progress = ProgressMode::automatic;
  Inflater inflater = Inflater::automatic;
  /// Process executor: times a task whose worker died is retried on a fresh
  /// worker before the run fails.
  int retries = 1;
  /// Bytes the count's tables may take (memory-budget.h); 0 means
  /// default_memory_limit(). Partitioned reduce only: past it, hash
  /// partitions are spilled to `temp_dir` and summed one at a time.
  i64 memory_limit = 0;
  /// Where spill files go; empty means default_temp_dir().
  std::string temp_dir;
  /// The caller will sort every row (-o): the decision to keep one table in
  /// memory counts the sort's memory too.
  bool will_sort = false;
  /// Library callers: called a few times a second from the count's own
  /// thread while the maps run (progress is then ProgressMode::callback);
  /// and a flag that, once set, stops the count with Cancelled.
  std::function<void(const ProgressSnapshot&)> on_progress;
  const std::atomic<bool>* cancel = nullptr;
  /// The ranks of an MPI job (cluster.h), or nullptr to count alone. With
  /// more than one rank, each maps its share and rank 0's result holds
  /// every total (distributed-count.h); the other ranks' are empty.
  Cluster* cluster = nullptr;
  /// With a cluster of two or more ranks: gather every total on rank 0
  /// (a sorted listing needs them all); false leaves each rank the totals
  /// of the keys it owns, whose answers combine_answers() joins.
  bool gather = true;
  /// With a cluster of two or more ranks: send each total to the rank that
  /// owns its key. false, when only some words' totals are asked for (-w),
  /// leaves each rank its own totals: combine_answers() adds up the words'
  /// rows, and no rank learns the distinct keys.
  bool shuffle = true;
};

/// What one worker process of the process executor did (a slot counts
/// across the workers that replaced a dead one).
struct WorkerStats {
  i64 tasks = 0;
  i64 bytes_mapped = 0;  // input partitions, chunks and tables it mapped
  double busy_seconds = 0;
  i64 restarts = 0;
};

/// What one rank of an MPI job did (--stats on rank 0).
struct RankStats {
  double map_seconds = 0;      // its maps and local combine
  double shuffle_seconds = 0;  // the exchange to the owners and their sums
  double gather_seconds = 0;   // sending its sums to rank 0
  i64 lines = 0;
  i64 bytes_sent = 0;  // compressed record blocks, shuffle and gather
  i64 bytes_received = 0;
  i64 peak_rss_bytes = 0;  // once its totals were shuffled (and gathered)
};

/// Whether a count wrote its sorted rows as it mapped (ordered-stream.h).
enum class OrderedStreaming {
  no,
  yes,
  broken,  // the input proved not to be sorted: counted again, not streamed
};

/// What a run measured, for --stats and the benchmarks.
struct CountStats {
  double map_seconds = 0;          // wall: start until the last map finished
  double reduce_seconds = 0;       // wall: last map until the final table
  double read_busy_seconds = 0;    // summed over workers: pread / inflate
  double map_busy_seconds = 0;     // summed over workers: parsing
  double merge_busy_seconds = 0;   // summed over workers: merging
  double stream_seconds = 0;       // summed over streams (gzip, pipes): first read until the end
  double stream_idle_seconds = 0;  // of which their readers waited for a map to take a chunk
  i64 partitions = 0;
  i64 merges = 0;
  i64 lines = 0;
  i64 input_bytes = 0;  // bytes parsed (inflated bytes for gzip)
  i64 file_bytes = 0;   // bytes read from disk or pipe
  int jobs = 0;
  i64 partition_size = 0;
  std::vector<WorkerStats> workers;                   // process executor only
  std::vector<RankStats> ranks;                       // MPI jobs of two or more ranks, on rank 0
  OrderedStreaming streaming = OrderedStreaming::no;  // whether the sorted rows were written while mapping
};

/// What --on-error skip left out.
struct SkippedLines {
  i64 count = 0;
  /// The first MAX_NAMED_SKIPS in input order, as "path:line: reason".
  std::vector<std::string> first;
};

struct CountResult {
  Totals totals;
  CountStats stats;
  SkippedLines skipped;
};

/// Runs the count. Throws InputError for the earliest malformed line in
/// input order (whatever the executor, jobs or partition size), Error for
/// I/O failures and total overflow (of partitioned totals: when they are
/// visited), UsageError for bad options.
///
/// With `stream`, a count of one sorted file by the ordered reduce writes
/// its sorted rows to stream->sorted as it maps (ordered-stream.h), and the
/// totals it returns finish that answer; `stream` must live until then.
CountResult run_count(const CountOptions& opts, const StreamTarget* stream = nullptr);

/// The number of workers `jobs` = 0 stands for.
int default_jobs();

/// Jobs beyond this many a core are not started: they cannot run at once,
/// each costs a worker process or a share of the memory budget, and
/// `-j 4096` on a small machine is a slip.
inline constexpr int MAX_JOBS_PER_CORE = 4;
/// The workers a count starts for `requested` jobs (0: default_jobs()).
int usable_jobs(int requested);

/// The fan-in `fan_in` = 0 stands for. A thread merge moves entries into
/// the largest table, so fan-in 2 costs little; a process merge copies every
/// record of its inputs into a new flat table, so each level of the tree
/// costs a pass over the whole result, and a wide tree has fewer levels.
int default_fan_in(ExecutorKind executor);

}  // namespace ngfreq
