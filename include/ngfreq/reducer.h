// Reducing the map tables into one.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/flat-table.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/memory-budget.h"
#include "ngfreq/ordered-runs.h"
#include "ngfreq/ordered-stream.h"
#include "ngfreq/partition-store.h"
#include "ngfreq/totals.h"

namespace ngfreq {

enum class ReduceMode {
  automatic,    // ordered for -o of sorted formats that fit the budget, else partitioned (count.cc)
  partitioned,  // a combining table a thread, flushed into hash partitions, summed a partition at a time
  ordered,      // a run a map in arrival order, merged by key (ordered-runs.h)
  tree,         // merge fan_in tables as soon as they are ready, level by level
  serial,       // keep every table, then fold them in partition order (the textbook's way)
};

/// Thread-safe: map workers call map() and add() concurrently.
///
/// In partitioned mode (DuckDB's radix-partitioned aggregate, ClickHouse's
/// two-level one) no map makes a table of its own: each thread maps into
/// its combining table, small enough to stay in cache, which sums the
/// repeats of common keys and, once budget.combine_entries keys are in it,
/// is appended to the thread's hash-partition runs and emptied; runs past
/// the thread's share of the memory budget are spilled (partition-store.h).
/// finish() sums each partition of every thread's runs on one core
/// (partition-runs.h), so no two threads touch one key and no table of all
/// keys is ever merged into another. It builds that one table only for a
/// sorted listing (settings.will_sort) that fits the budget; otherwise the
/// partitions are left to be summed one at a time as the output reads
/// them (totals.h).
///
/// In tree mode, tables wait at level 0; when fan_in of them are waiting,
/// the thread that brought the last one merges them (largest first, so the
/// fewest entries move) and offers the result at level 1, and so on up. A
/// merge thus starts as soon as its inputs exist, like asyncio's
/// as_completed, not after every map has finished. finish() merges what is
/// left over in rounds of fan_in. Sums commute, so the result does not depend
/// on which tables met.
/// What partitioned mode needs to know of the run.
struct PartitionedSettings {
  MemoryBudget budget = MemoryBudget::make(i64(1) << 62, 1, 0);
  std::string temp_dir = "/tmp";
  int mapping_threads = 1;  // threads (or the one parent) that fill runs
  int jobs = 1;             // threads for the finalize
  bool will_sort = false;   // every row will be sorted (-o): count the sort's memory
};

class Reducer {
 public:
  /// With `parallel`, merges run shard by shard on oneTBB and the final
  /// rounds merge several groups at once.
  Reducer(ReduceMode mode, int fan_in, bool parallel, PartitionedSettings settings = {});

  /// Runs map_fn(FreqTable&) for the map at `order` (its position in input
  /// order): into this thread's combining table in partitioned mode, else
  /// into a new table that is then add()ed.
  template <class MapFn> void map(u64 order, MapFn&& map_fn) {
    if (mode_ == ReduceMode::partitioned) {
      map_fn(combining_table());
      return;
    }
    if (stream_) {
      if (stream_->broken()) return;  // the count starts again without the stream
      std::unique_ptr<OrderedRun> run = stream_->take_run();
      FreqTable front;
      front.record_into(run.get());
      map_fn(front);
      stream_->finished(order, std::move(run));
      return;
    }
    if (mode_ == ReduceMode::ordered) {
      OrderedRun& run = ordered_->run(order);
      FreqTable front;
      front.record_into(&run);
      map_fn(front);
      ordered_->finished(run);
      return;
    }
    FreqTable table;
    map_fn(table);
    add(std::move(table), order);
  }

  /// Ordered mode: writes the sorted rows while mapping (ordered-stream.h).
  /// Before the first map.
  void stream_into(std::unique_ptr<OrderedStream> stream) { stream_ = std::move(stream); }
  /// Whether the stream broke: the totals are incomplete.
  bool stream_broken() const { return stream_ && stream_->broken(); }

  /// Called by the executor once for each map, in input order, after the
  /// map: the stream writes its rows.
  void done(u64 order) {
    if (stream_) stream_->write(order);
  }

  /// Hands over a finished table (tree and serial mode); `order` is its
  /// position in input order.
  void add(FreqTable table, u64 order);

  /// Partitioned mode: appends every record of a flat table (a worker
  /// process's map table) to the calling thread's runs.
  void add_flat(const FlatTable& table);
  /// Partitioned mode: appends a block of flat records (of any partitions:
  /// an MPI shuffle's) to the calling thread's runs.
  void add_records(std::string_view records);

  /// Merges everything still pending into the final totals: one table, or
  /// in partitioned mode, when the table would not fit the memory budget
  /// (or some runs were spilled), the partitions themselves.
  Totals finish();

  i64 merges() const { return merges_; }
  double merge_seconds() const { return merge_ns_ * 1e-9; }

 private:
  FreqTable merge_group(std::vector<FreqTable>& group);
  FreqTable& combining_table();
  Totals finish_partitioned();
  Totals finish_ordered();

  // Partitioned mode: what one thread maps into.
  struct ThreadState {
    PartitionRuns* runs = nullptr;  // in store_
    FreqTable table;                // flushes into `runs`
  };
  ThreadState& thread_state();
  tbb::enumerable_thread_specific<ThreadState> threads_;

  ReduceMode mode_;
  int fan_in_;
  bool parallel_;
  PartitionedSettings settings_;
  std::unique_ptr<PartitionStore> store_;
  std::mutex mutex_;
  std::vector<std::vector<FreqTable>> levels_;       // tree mode
  std::vector<std::pair<u64, FreqTable>> in_order_;  // serial mode
  std::unique_ptr<OrderedRuns> ordered_;             // ordered mode
  std::unique_ptr<OrderedStream> stream_;            // ordered mode, streamed
  std::atomic<i64> merges_{0};
  std::atomic<i64> merge_ns_{0};
};

}  // namespace ngfreq
