// The ordered reduce: for a sorted listing (-o) of Google's files, which are
// sorted by n-gram, no key is hashed and nothing is sorted.
//
// Each map appends its keys to a run of its own in the order they come,
// summing a key that repeats the one before (an n-gram's lines, one a year,
// are adjacent) and noting whether each key sorts after the one before. A
// run whose keys came out of order (a file not sorted, a --tags filter is
// fine, case folding is not) is sorted once the maps are done, equal keys
// summed. The listing is then a merge of sorted runs, cut into key ranges
// at splitters sampled from every run and merged range by range, ranges in
// parallel, written in order; a key found in several runs (an n-gram whose
// lines straddle two partitions, or several files) is summed where the runs
// meet. For one sorted file every range touches one or two runs, and the
// merge is a copy.
//
// Runs past the memory budget are written, once sorted, to a spill file in
// blocks that the merge reads back by key range (each block's first key is
// kept), so the reduce needs no more memory than a range's blocks.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/large-memory.h"
#include "ngfreq/spill-file.h"

namespace ngfreq {

class OrderedRun {
 public:
  /// Adds (count, volumes) to `key`: to the last record if it is the same
  /// key, else as a new record.
  void add(std::string_view key, u64 count, u64 volumes);

  /// Sorts the records if they came out of order, summing equal keys, and
  /// indexes every INDEX_STRIDE-th record for lower_bound().
  void finish();

  /// Empties the run for another map, keeping its memory.
  void clear();

  i64 records() const { return records_; }
  i64 bytes() const { return size_; }
  /// Whether every key came after the one before, so far.
  bool in_order() const { return sorted_; }
  /// The flat records (hash 0), in key order once finished; empty once
  /// spilled.
  std::string_view data() const { return {data_.data(), size_t(size_)}; }

  /// The byte offset in data() of the first record whose key is not below
  /// `key`.
  i64 lower_bound(std::string_view key) const;
  /// Keys of the indexed records (or of the spilled blocks' first records),
  /// a sample of the run in order.
  std::vector<std::string_view> sample() const;

  /// Writes the finished records to `file` in blocks and frees them.
  void spill(SpillFile& file);
  bool spilled() const { return !blocks_.empty(); }

  /// The records with keys in [lo, hi) (no bound where has_lo / has_hi is
  /// false): a view of data(), or of `storage`, into which the blocks of a
  /// spilled run are read.
  std::string_view range(bool has_lo, std::string_view lo, bool has_hi, std::string_view hi,
                         std::string& storage, const SpillFile* file) const;

  static constexpr i64 INDEX_STRIDE = 64;

 private:
  char* reserve(i64 bytes);

  // In huge pages (large-memory.h): a run of a 32 MB partition is tens of
  // MB, faulted in a 2 MiB page at a time rather than 4 KiB.
  LargeBuffer data_;
  i64 size_ = 0;
  i64 last_ = -1;  // offset of the last record
  i64 records_ = 0;
  bool sorted_ = true;
  std::vector<i64> index_;
  std::vector<BlockRef> blocks_;         // once spilled
  std::vector<std::string> first_keys_;  // of each block
};

/// Every run of an ordered reduce, by input order, and the spill file of
/// those that passed the memory budget.
class OrderedRuns {
 public:
  /// Runs in memory may hold `budget` bytes; spill files go to `temp_dir`.
  OrderedRuns(i64 budget, std::string temp_dir) : budget_(budget), file_(std::move(temp_dir)) {}

  /// The run of the map at `order` (input order); thread-safe.
  OrderedRun& run(u64 order);
  /// After its map: sorts and indexes `run`, and spills it if the runs in
  /// memory passed the budget; thread-safe.
  void finished(OrderedRun& run);

  /// Drops empty runs and lists the rest in input order; after mapping.
  void seal();
  const std::vector<OrderedRun*>& runs() const { return sealed_; }
  const SpillFile& file() const { return file_; }
  i64 spills() const { return spills_; }

  /// Cuts the merge of the runs into key ranges of about `range_rows`
  /// records each: range r holds the keys in [splitters[r - 1], splitters[r]).
  std::vector<std::string> splitters(i64 range_rows) const;

  /// Calls f(key, count, volumes) for each key of range r of `splitters`, in
  /// key order, the runs' totals of one key summed (saturating).
  void merge_range(const std::vector<std::string>& splitters, size_t r,
                   const std::function<void(std::string_view, u64, u64)>& f) const;

 private:
  i64 budget_;
  SpillFile file_;
  std::mutex mutex_;
  std::map<u64, OrderedRun> by_order_;
  std::atomic<i64> resident_{0};
  std::atomic<i64> spills_{0};
  std::vector<OrderedRun*> sealed_;
};

}  // namespace ngfreq
