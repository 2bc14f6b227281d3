// Reducing the map tables into one.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"

namespace ngfreq {

enum class ReduceMode {
  tree,    // merge fan_in tables as soon as they are ready, level by level
  serial,  // keep every table, then fold them in partition order (the textbook's way)
};

/// Thread-safe: map workers call add() concurrently.
///
/// In tree mode, tables wait at level 0; when fan_in of them are waiting,
/// the thread that brought the last one merges them (largest first, so the
/// fewest entries move) and offers the result at level 1, and so on up. A
/// merge thus starts as soon as its inputs exist, like asyncio's
/// as_completed, not after every map has finished. finish() merges what is
/// left over in rounds of fan_in. Sums commute, so the result does not depend
/// on which tables met.
class Reducer {
 public:
  /// With `parallel`, merges run shard by shard on oneTBB and the final
  /// rounds merge several groups at once.
  Reducer(ReduceMode mode, int fan_in, bool parallel);

  /// Hands over a finished table; `order` is its position in input order.
  void add(FreqTable table, u64 order);

  /// Merges everything still pending into the final table.
  FreqTable finish();

  i64 merges() const { return merges_; }
  double merge_seconds() const { return merge_ns_ * 1e-9; }

 private:
  FreqTable merge_group(std::vector<FreqTable>& group);

  ReduceMode mode_;
  int fan_in_;
  bool parallel_;
  std::mutex mutex_;
  std::vector<std::vector<FreqTable>> levels_;       // tree mode
  std::vector<std::pair<u64, FreqTable>> in_order_;  // serial mode
  std::atomic<i64> merges_{0};
  std::atomic<i64> merge_ns_{0};
};

}  // namespace ngfreq
