// Hash-partitioned runs of records: where a combining table's entries go
// when it is full, and what the finalize aggregates one partition at a time.
//
// The layout, the one every spill, re-split and (later) shuffle follows:
// partition s holds the entries of FreqTable shard s (the top SHARD_BITS of
// the hash). A partition that must be cut further is cut into
// SUB_PARTITIONS sub-partitions by 4 hash bits a level, taken from the low
// end of the hash (level 1: bits 0-3, level 2: bits 4-7, ...): the bits just
// below the shard bits choose a key's home slot in its table, so cutting by
// them would crowd every sub-partition's keys into a sixteenth of its slots,
// while the low bits only feed the 32-bit slot tag, which loses nothing
// that matters by being shared.
//
// Records are in the flat-table format (flat-table.h), appended in blocks.
// A run is written only by its owner thread and read only by the finalize,
// so nothing is locked; a block is one contiguous byte range that a spill
// to disk (record-block.h) moves as it is.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/flat-table.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/large-memory.h"

namespace ngfreq {

inline constexpr int SUB_PARTITION_BITS = 4;
inline constexpr int SUB_PARTITIONS = 1 << SUB_PARTITION_BITS;
/// Levels of sub-partitions at most: 16^4 = 65,536 pieces of a partition.
inline constexpr int MAX_SUB_LEVEL = 4;

/// The sub-partition (0..15) of a record with `hash` at `level` (>= 1).
inline int sub_partition(u64 hash, int level) {
  return int((hash >> (SUB_PARTITION_BITS * (level - 1))) & (SUB_PARTITIONS - 1));
}

/// One partition's records, in blocks.
class RecordRun {
 public:
  void append(const Entry& e);
  /// Appends a record already in the flat format (`size` bytes).
  void append_record(const char* record, i64 size);
  /// Appends `count` records in the flat format, as one block.
  void append_records(std::string_view records, i64 count);

  i64 records() const { return records_; }
  i64 bytes() const { return bytes_; }
  /// Bytes of its blocks, the unused end of the last one included.
  i64 capacity() const { return capacity_; }

  /// Calls f(std::string_view records) for each block, in append order.
  template <class F> void for_each_block(F&& f) const {
    for (const Block& b : blocks_) f(std::string_view(b.data.data(), b.used));
  }

  /// Calls f(std::string_view records) for each block, in append order,
  /// freeing each block once f returns; the run is left empty.
  template <class F> void consume_blocks(F&& f) {
    for (Block& b : blocks_) {
      f(std::string_view(b.data.data(), b.used));
      b.data = LargeBuffer();
    }
    clear();
  }

  /// Frees every block.
  void clear() { *this = RecordRun(); }

 private:
  struct Block {
    LargeBuffer data;
    i64 used = 0;
  };
  char* reserve(i64 size);
  std::vector<Block> blocks_;
  i64 records_ = 0;
  i64 bytes_ = 0;
  i64 capacity_ = 0;
};

/// A run for each hash partition.
class PartitionRuns {
 public:
  /// Appends every entry of `shard` (shard s of a table) to partition s.
  void add_shard(int s, const FreqShard& shard);

  RecordRun& partition(int s) { return parts_[s]; }
  const RecordRun& partition(int s) const { return parts_[s]; }
  i64 bytes() const;
  i64 records() const;
  i64 capacity() const;

 private:
  std::array<RecordRun, FreqTable::NUM_SHARDS> parts_;
};

/// Calls f(const char* record, const FlatEntry&) for each record of `block`.
template <class F> void for_each_record(std::string_view block, F&& f);

/// Sums the records of `runs` (all of one partition or sub-partition) into
/// `dest` and frees the runs.
void aggregate_records(FreqShard& dest, std::span<RecordRun* const> runs);

/// Sums partition s of every run into `dest` (shard s of a table) and frees
/// those runs.
void aggregate_partition(FreqShard& dest, std::span<PartitionRuns* const> runs, int s);

/// Sums every partition of `runs` into one table, a partition a task; with
/// `parallel`, the partitions run on oneTBB.
FreqTable aggregate_runs(std::span<PartitionRuns* const> runs, bool parallel);

template <class F> void for_each_record(std::string_view block, F&& f) {
  const char* p = block.data();
  const char* end = p + block.size();
  while (p < end) {
    const char* record = p;
    FlatEntry e = FlatTable::decode(p, end);
    f(record, e);
  }
}

}  // namespace ngfreq
