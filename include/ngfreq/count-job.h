// The state one count run shares between its executor's workers: the inputs,
// the partition plan, the progress counters, and the per-partition reports
// from which the earliest error is picked.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "ngfreq/count.h"
#include "ngfreq/inputs.h"
#include "ngfreq/partition.h"
#include "ngfreq/shared-memory.h"
#include "ngfreq/stream-chunker.h"

namespace ngfreq::detail {

/// Position of a partition or stream chunk in input order.
inline u64 input_order(i64 file_index, i64 index) { return (u64(file_index) << 40) | u64(index); }

/// What a map task reports besides its table. Map workers never throw for
/// bad data: oneTBB keeps only the first exception, and which one that is
/// depends on scheduling; the earliest report in input order wins instead.
struct MapReport {
  i64 file_index = 0;
  i64 index = 0;
  i64 lines = 0;
  std::optional<LineError> error;
  std::optional<std::string> located_error;  // already "path: byte N: reason"
  i64 skipped = 0;                           // --on-error skip: malformed lines left out
  std::vector<LineError> first_skipped;      // the first MAX_NAMED_SKIPS of them
};

class CountJob {
  // Declared first so that `progress` can refer into it. The counters live
  // in a shared anonymous mapping: the process executor's workers are forked
  // copies of this job, and their bumps must reach the parent's reporter.
  SharedObject<ProgressCounters> shared_progress_;

 public:
  CountJob(const CountOptions& opts, std::vector<InputFile> inputs, int jobs);

  const CountOptions& opts;
  std::vector<InputFile> inputs;
  /// What every parser is told, but the format, which is each input's.
  MapOptions map_options;
  std::vector<Partition> partitions;  // of every seekable input
  std::vector<i64> stream_inputs;     // indexes of gzip and pipe inputs
  i64 partition_size = 0;
  int jobs = 1;
  ProgressCounters& progress = *shared_progress_;
  BufferPool buffers;

  /// Sets `in.format` from its first bytes, unless -f named it; checks that
  /// the options make sense for it. A pipe's is set from its first chunk.
  void resolve_format(InputFile& in, std::string_view head) const;

  /// True once an error was seen earlier in input order than `order`: the
  /// work cannot change the outcome, so it is skipped.
  /// So is all work once the caller cancelled the count.
  bool pointless(u64 order) const {
    return order > first_error_.load(std::memory_order_relaxed) || cancelled();
  }
  bool cancelled() const { return opts.cancel && opts.cancel->load(std::memory_order_relaxed); }

  void report(MapReport r);

  /// Removes and returns the reports made so far: a process-pool worker
  /// sends its own back to the parent, which feeds them to report().
  std::vector<MapReport> take_reports();

  /// True once any map has reported an error.
  bool failed() const { return first_error_.load(std::memory_order_relaxed) != ~u64{0}; }

  /// Throws the earliest error in input order, if any.
  void throw_first_error();

  /// The malformed lines left out under --on-error skip, named in input
  /// order with line numbers counted across partitions.
  SkippedLines skipped_lines();

  std::atomic<i64> lines{0};
  std::atomic<i64> input_bytes{0};
  std::atomic<i64> read_ns{0};
  std::atomic<i64> map_ns{0};
  // Streams (gzip, pipes): wall time from a stream's first read to its
  // end, and the part of it spent reading; the rest its reader waited for
  // the maps to take a chunk.
  std::atomic<i64> stream_wall_ns{0};
  std::atomic<i64> stream_read_ns{0};

  // Filled by the process executor, whose merges run in its workers.
  i64 pool_merges = 0;
  i64 pool_merge_ns = 0;
  std::vector<WorkerStats> worker_stats;

 private:
  std::atomic<u64> first_error_{~u64{0}};
  std::mutex mutex_;
  std::vector<MapReport> reports_;
};

/// The bytes the maps will parse: a gzip file counts as 4 times its size, a
/// pipe as very large.
i64 estimated_input_bytes(const std::vector<InputFile>& inputs);

/// Reads and maps one plain partition into `table`.
void map_partition(CountJob& job, const Partition& part, FreqTable& table);

/// Maps one chunk of a stream input into `table`.
void map_chunk(CountJob& job, i64 file_index, i64 index, std::string_view text, FreqTable& table);
inline void map_chunk(CountJob& job, i64 file_index, i64 index, const ChunkBuffer& chunk, FreqTable& table) {
  map_chunk(job, file_index, index, std::string_view(chunk.data(), chunk.size), table);
}

/// Reads one stream input (gzip or pipe) as numbered line-aligned chunks.
class StreamReader {
 public:
  StreamReader(CountJob& job, i64 file_index);
  ~StreamReader();

  /// The next chunk in input order, or false at the end. Stops early when an
  /// earlier error makes the rest pointless; a corrupt or truncated gzip
  /// stream becomes a report, not an exception.
  bool next(i64& index, ChunkBuffer& out);

 private:
  // The stream ended (or stopped): adds its wall and read times to the job.
  void finish();

  CountJob& job_;
  i64 file_index_;
  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<StreamChunker> chunker_;
  i64 next_index_ = 0;
  i64 consumed_ = 0;
  bool done_ = false;
  i64 first_read_ns_ = 0;  // when the first read began
  i64 read_ns_ = 0;        // spent reading, of this stream
};

}  // namespace ngfreq::detail
