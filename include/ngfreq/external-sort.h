// Every row of a count too large for memory, sorted by key bytes (-o of
// partitioned totals, totals.h).
//
// Each partition's table is sorted on its own and cut into key ranges at
// splitters taken from the first partition with rows: partitions are by hash,
// so any one is a uniform sample of all the keys, and its quantiles cut every
// other partition into near-equal ranges too. Each cut is written to a
// spill file as a piece of record blocks (record-block.h). The output then
// takes range after range: the range's pieces, one from each partition, are
// read back and merged, ranges in parallel, written in order. A key lives in
// one partition only, so a merge never meets it twice, and the bytes are
// those of the in-memory sort whatever the ranges.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ngfreq/freq-table.h"
#include "ngfreq/row-format.h"
#include "ngfreq/row-sink.h"
#include "ngfreq/spill-file.h"

namespace ngfreq {

class ExternalSort {
 public:
  /// About `record_bytes` of records will come; one range merged in memory
  /// may hold about `range_bytes`. Rows below `min_count` are left out.
  ExternalSort(std::string temp_dir, i64 record_bytes, i64 range_bytes, u64 min_count);

  /// Sorts the entries of one partition and writes a piece of each range;
  /// thread-safe. The first call with rows sets the splitters from its keys.
  void add(const FreqShard& partition);

  /// Writes every row, in key order, merging `jobs` ranges at a time.
  void write(RowSink& out, const RowLayout& layout, int jobs);

  i64 ranges() const { return i64(ranges_.size()); }
  SpillStats stats() const { return file_.stats(); }

 private:
  // One partition's records of a range, sorted: its blocks in order.
  using Piece = std::vector<BlockRef>;
  struct Range {
    std::mutex mutex;
    std::vector<Piece> pieces;
  };

  void choose_splitters(const std::vector<const Entry*>& sorted);
  void merge_range(Range& range, const RowLayout& layout, std::string& text);

  SpillFile file_;
  i64 record_bytes_;
  i64 range_bytes_;
  u64 min_count_;
  std::mutex split_mutex_;
  bool split_ = false;
  std::vector<std::string> splitters_;  // range r holds keys in [splitters_[r-1], splitters_[r])
  std::vector<std::unique_ptr<Range>> ranges_;
};

}  // namespace ngfreq
