// How --memory-limit is shared out among the parts of a count that grow
// with the number of distinct keys (memory-budget.cc says why each share is
// what it is).
#pragma once

#include "ngfreq/common.h"

namespace ngfreq {

/// The default --memory-limit: DEFAULT_MEMORY_PERCENT of the memory this
/// process may use (the machine's, or its cgroup's limit when lower).
inline constexpr int DEFAULT_MEMORY_PERCENT = 80;
i64 default_memory_limit();

/// Bytes a table built from `records` flat records of `bytes` bytes takes at
/// most (every key distinct): a 40-byte entry and 16-32 bytes of slots a key
/// against a record's 32 fixed bytes, and the finalize's 8-byte pointer.
inline constexpr i64 TABLE_BYTES_A_RECORD = 48;
/// Bytes a sort of every row (-o) adds a key: its 24-byte sort key and its
/// 8-byte pointer.
inline constexpr i64 SORT_BYTES_A_RECORD = 32;

inline i64 table_bytes_bound(i64 records, i64 bytes) { return bytes + TABLE_BYTES_A_RECORD * records; }

struct MemoryBudget {
  i64 limit = 0;
  /// The limit less a fixed reserve (code, buffers): what partition runs,
  /// tables and sorts may hold together.
  i64 data = 0;
  /// In-memory partition runs during the map, all threads together; a
  /// thread past its share spills its runs.
  i64 runs = 0;
  /// One finalize task: a partition's records read back, its table and the
  /// sort of its rows; a partition that needs more is cut by more hash bits.
  i64 task = 0;
  /// Keys a combining table holds before it is flushed into the runs.
  i64 combine_entries = 0;

  /// `jobs` threads (or worker processes) map; `stream_buffers` is what the
  /// chunks of gzip and pipe inputs in flight may take.
  static MemoryBudget make(i64 limit, int jobs, i64 stream_buffers);
};

}  // namespace ngfreq
