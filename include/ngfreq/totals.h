// What a count found: every n-gram's totals, either as one table in memory
// or as hash partitions (partition-store.h) that are summed one at a time,
// so that a count with more distinct keys than memory holds still ends.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "ngfreq/freq-table.h"
#include "ngfreq/memory-budget.h"
#include "ngfreq/ordered-runs.h"
#include "ngfreq/spill-file.h"

namespace ngfreq {

class PartitionStore;
class OrderedStream;

/// What the finalize of partitioned totals did, for --stats.
struct FinalizeStats {
  i64 partitions_spilled = 0;  // level-1 sub-partitions with records on disk
  i64 spills = 0;              // times a thread wrote its runs out
  int passes = 0;              // writes of a record to disk: 1 a spill, 1 more a re-split level
  SpillStats disk;
  double summing_seconds = 0;  // busy summing partitions as visit() read them, all threads
  i64 partitions_summed = 0;   // by visit(): the merges it did
};

class Totals {
 public:
  Totals();
  /// Totals held in one table.
  explicit Totals(FreqTable table);
  /// Totals still in partitions, summed by visit() in shares of
  /// `budget.task`, `jobs` partitions at a time.
  Totals(std::unique_ptr<PartitionStore> store, int jobs);
  /// Totals in sealed ordered runs, merged by visit() a key range at a
  /// time.
  Totals(std::unique_ptr<OrderedRuns> runs, int jobs);
  /// Totals already written as they were counted, by an ordered stream:
  /// what is left is its last row and the other parts of the answer.
  explicit Totals(std::unique_ptr<OrderedStream> stream);
  Totals(Totals&&) noexcept;
  Totals& operator=(Totals&&) noexcept;
  ~Totals();

  /// True when every total is in table(); false when they are in
  /// partitions or ordered runs.
  bool in_memory() const { return !store_ && !ordered_ && !stream_; }
  const FreqTable& table() const { return table_; }
  /// Ordered runs, or nullptr.
  const OrderedRuns* ordered_runs() const { return ordered_.get(); }
  /// The ordered stream, or nullptr.
  OrderedStream* stream() const { return stream_.get(); }
  /// Hands the ordered runs over (nullptr when there are none), leaving
  /// these totals empty.
  std::unique_ptr<OrderedRuns> release_ordered_runs() { return std::move(ordered_); }
  int jobs() const { return jobs_; }

  /// Calls f(const FreqShard&) for the final table of each partition (or
  /// sub-partition), from up to `jobs` threads at once; f must be
  /// thread-safe, and must not start oneTBB work of its own (a thread
  /// waiting for it could start another partition's task and pass the
  /// memory budget). Partitioned totals are consumed: visit them once.
  /// Throws Error after the last visit if some total overflowed 64 bits.
  void visit(const std::function<void(const FreqShard&)>& f);

  /// Bytes of the records behind partitioned totals (keys repeated across
  /// flushes counted again): what sizes an external sort.
  i64 record_bytes() const;
  const MemoryBudget& budget() const;
  /// The directory spill files go to.
  const std::string& temp_dir() const;
  FinalizeStats stats() const;

 private:
  struct Finalizer;

  void visit_ordered(const std::function<void(const FreqShard&)>& f);

  FreqTable table_;
  std::unique_ptr<PartitionStore> store_;
  std::unique_ptr<OrderedRuns> ordered_;
  std::unique_ptr<OrderedStream> stream_;
  int jobs_ = 1;
  int max_level_ = 0;
  i64 partitions_spilled_ = 0;
  i64 summing_ns_ = 0;
  i64 partitions_summed_ = 0;
};

}  // namespace ngfreq
