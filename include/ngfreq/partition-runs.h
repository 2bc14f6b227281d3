// Hash-partitioned runs of records: where a combining table's entries go
// when it is full, and what the finalize aggregates one partition at a time.
//
// Partition s holds the entries of FreqTable shard s (the top SHARD_BITS of
// the hash), as records in the flat-table format (flat-table.h), appended in
// blocks. A run is written only by its owner thread and read only by the
// finalize, so nothing is locked; a block is one contiguous byte range that
// a spill to disk or a shuffle can move as it is.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/large-memory.h"

namespace ngfreq {

/// One partition's records, in blocks.
class RecordRun {
 public:
  void append(const Entry& e);

  i64 records() const { return records_; }
  i64 bytes() const { return bytes_; }

  /// Calls f(std::string_view records) for each block, in append order.
  template <class F> void for_each_block(F&& f) const {
    for (const Block& b : blocks_) f(std::string_view(b.data.data(), b.used));
  }

  /// Frees every block.
  void clear() { *this = RecordRun(); }

 private:
  struct Block {
    LargeBuffer data;
    i64 used = 0;
  };
  std::vector<Block> blocks_;
  i64 records_ = 0;
  i64 bytes_ = 0;
};

/// A run for each hash partition.
class PartitionRuns {
 public:
  /// Appends every entry of `shard` (shard s of a table) to partition s.
  void add_shard(int s, const FreqShard& shard);

  RecordRun& partition(int s) { return parts_[s]; }
  const RecordRun& partition(int s) const { return parts_[s]; }
  i64 bytes() const;

 private:
  std::array<RecordRun, FreqTable::NUM_SHARDS> parts_;
};

/// Sums partition s of every run into `dest` (shard s of a table) and frees
/// those runs.
void aggregate_partition(FreqShard& dest, std::span<PartitionRuns* const> runs, int s);

/// Sums every partition of `runs` into one table, a partition a task; with
/// `parallel`, the partitions run on oneTBB.
FreqTable aggregate_runs(std::span<PartitionRuns* const> runs, bool parallel);

}  // namespace ngfreq
