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
// Runs are in memory: the ordered reduce is chosen only when its records fit
// the memory budget (count.cc); past it, the partitioned reduce spills.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/large-memory.h"

namespace ngfreq {

class OrderedRun {
 public:
  /// Adds (count, volumes) to `key`: to the last record if it is the same
  /// key, else as a new record.
  void add(std::string_view key, u64 count, u64 volumes);

  /// Sorts the records if they came out of order, summing equal keys, and
  /// indexes every INDEX_STRIDE-th record for lower_bound().
  void finish();

  i64 records() const { return records_; }
  i64 bytes() const { return size_; }
  bool sorted() const { return sorted_; }
  bool overflowed() const { return overflowed_; }
  /// The flat records (hash 0), in key order once finished.
  std::string_view data() const { return {data_.data(), size_t(size_)}; }

  /// The byte offset of the first record whose key is not below `key`.
  i64 lower_bound(std::string_view key) const;
  /// Keys of the indexed records, a sample of the run in order.
  std::vector<std::string_view> sample() const;

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
  bool overflowed_ = false;
  std::vector<i64> index_;
};

/// Cuts the merge of `runs` (finished) into key ranges of about
/// `range_rows` records each: the splitters, range r being the keys in
/// [splitters[r - 1], splitters[r]).
std::vector<std::string> choose_range_splitters(const std::vector<OrderedRun>& runs, i64 range_rows);

/// Calls f(key, count, volumes) for each key of the merge of `runs` within
/// [lo, hi) (an empty `hi` meaning no upper bound; `has_lo` false meaning no
/// lower one), in key order, the runs' totals of one key summed; sets
/// `overflowed` when a sum saturates.
void merge_ordered_range(const std::vector<OrderedRun>& runs, bool has_lo, std::string_view lo, bool has_hi,
                         std::string_view hi, bool& overflowed,
                         const std::function<void(std::string_view, u64, u64)>& f);

}  // namespace ngfreq
