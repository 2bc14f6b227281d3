// Repeated, timed runs of the count for `ngfreq tune` and `ngfreq bench`.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/count.h"

namespace ngfreq {

/// Median and spread of repeated measurements of one quantity.
struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
};

/// Median (the mean of the middle two for an even count), min and max.
/// Throws Error on an empty list.
Spread summarize(std::vector<double> values);

/// One measured point: `repeats` runs of the count with the same options.
struct PointResult {
  ExecutorKind executor = ExecutorKind::thread;
  ReduceMode reduce = ReduceMode::automatic;
  int jobs = 0;
  i64 partition_size = 0;  // as run: the default's value when 0 was asked
  i64 partitions = 0;
  i64 input_bytes = 0;  // parsed bytes (inflated for gzip)
  int repeats = 0;
  Spread wall;         // steady_clock around run_count
  Spread map_time;     // CountStats::map_seconds
  Spread reduce_time;  // CountStats::reduce_seconds
  /// Parsed megabytes (10^6) a second at the median wall time.
  double mb_per_s() const { return wall.median > 0 ? input_bytes / 1e6 / wall.median : 0; }
  /// Median wall time not spent in map or reduce: setup, input expansion,
  /// freeing the tables.
  double other_seconds() const;
};

/// Measures each of `points` (progress forced off): `warm_up` untimed
/// rounds, then `repeat` timed rounds, a round running every point once in
/// order. The warm-up fills the page cache and the allocator's pools so that
/// the timed runs measure ngfreq, not the disk; interleaving the rounds
/// spreads a noisy neighbour's load over all points alike. Calls
/// `before_run(run, point)` before every run, warm-ups included (run counts
/// from 0 to (warm_up + repeat) x points - 1), for a progress line.
std::vector<PointResult> measure_points(const std::vector<CountOptions>& points, int repeat, int warm_up,
                                        const std::function<void(i64 run, i64 point)>& before_run = {});

/// from, from * factor, ... up to and including `to` when it falls on the
/// progression. Throws UsageError unless 0 < from <= to and factor >= 2.
std::vector<i64> geometric_sizes(i64 from, i64 to, i64 factor);

/// "thread" -> ExecutorKind::thread. Throws UsageError for unknown names and
/// for executors this build lacks, saying which.
ExecutorKind parse_executor(std::string_view name);
std::string_view executor_name(ExecutorKind kind);
std::string_view reduce_name(ReduceMode mode);
ReduceMode parse_reduce(std::string_view name);

/// 65536 -> "64 KiB", 3 << 20 -> "3 MiB", 1000 -> "1000 B".
std::string format_bytes(i64 bytes);

/// A table with a header row, written as RFC 4180 CSV (fields quoted only
/// when they need it) atomically to `path`.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
void write_csv(const std::string& path, const CsvTable& table);

}  // namespace ngfreq
