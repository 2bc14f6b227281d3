// Every hash partition's records of a partitioned count, wherever they are:
// the in-memory runs of each mapping thread, and the sub-partitions spilled
// to disk when those runs pass their share of --memory-limit.
//
// A spill writes all of one thread's runs at once (whole partitions, so the
// thread's memory is freed at once, and no other thread's runs are
// touched), each partition cut into its SUB_PARTITIONS level-1
// sub-partitions (partition-runs.h) on the way: a partition that spilled is
// then finalized a sub-partition at a time, sixteen times smaller, with no
// further pass over the disk until a sub-partition outgrows a finalize
// task's share.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "ngfreq/memory-budget.h"
#include "ngfreq/partition-runs.h"
#include "ngfreq/spill-file.h"

namespace ngfreq {

/// The records of one (sub-)partition on disk: its blocks in a spill file.
struct SpilledRun {
  std::vector<BlockRef> blocks;
  i64 records = 0;
  i64 bytes = 0;  // decompressed

  void add(const BlockRef& b);
  void append(SpilledRun&& other);
  bool empty() const { return blocks.empty(); }
};

/// Cuts records into the SUB_PARTITIONS sub-partitions of one level and
/// writes each to a spill file in blocks of about SPILL_BLOCK_BYTES.
class RecordRouter {
 public:
  RecordRouter(SpillFile& file, int level) : file_(file), level_(level) {}

  void add(const char* record, i64 size, u64 hash);
  /// Routes every record of a block of flat records.
  void add_block(std::string_view records);
  /// Writes what is still buffered and returns the sub-partitions.
  std::array<SpilledRun, SUB_PARTITIONS> finish();

 private:
  void write(int sub);

  SpillFile& file_;
  int level_;
  std::array<std::string, SUB_PARTITIONS> buffers_;
  std::array<i64, SUB_PARTITIONS> buffered_records_{};
  std::array<SpilledRun, SUB_PARTITIONS> out_;
};

/// Decompressed records a spill block holds at most: large enough that a
/// block's header and an LZ4 frame cost nothing, small enough that the
/// sixteen buffers of a router stay a few MB.
inline constexpr i64 SPILL_BLOCK_BYTES = 256 << 10;

class PartitionStore {
 public:
  /// `mapping_threads` share budget.runs; spill files go to `temp_dir`.
  PartitionStore(const MemoryBudget& budget, std::string temp_dir, int mapping_threads);

  /// A new set of runs for one mapping thread; thread-safe.
  PartitionRuns& new_runs();

  /// Called by the owner of `runs` after it added to them: spills them if
  /// they passed the thread's share.
  void check(PartitionRuns& runs) {
    if (runs.capacity() > thread_share_) spill(runs);
  }
  /// Writes every partition of `runs` to disk and empties them.
  void spill(PartitionRuns& runs);

  bool spilled() const { return spills_ > 0; }
  /// In-memory runs: their records and bytes; call once mapping is done.
  i64 memory_records() const;
  i64 memory_bytes() const;
  /// Records and bytes spilled, all partitions together.
  i64 spilled_records() const;
  i64 spilled_bytes() const;

  std::span<const std::unique_ptr<PartitionRuns>> runs() const { return runs_; }
  /// Level-1 sub-partition `sub` of partition s, as spilled.
  SpilledRun& spilled(int s, int sub) { return spilled_[s][sub]; }
  SpillFile& file() { return file_; }
  const MemoryBudget& budget() const { return budget_; }
  i64 spills() const { return spills_; }

 private:
  MemoryBudget budget_;
  i64 thread_share_;
  SpillFile file_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PartitionRuns>> runs_;
  std::array<std::array<SpilledRun, SUB_PARTITIONS>, FreqTable::NUM_SHARDS> spilled_;
  std::array<std::mutex, FreqTable::NUM_SHARDS> spilled_mutex_;
  std::atomic<i64> spills_{0};
};

}  // namespace ngfreq
