// The shares of --memory-limit.
//
// - A fixed reserve comes off the top: the executable, its libraries and
//   ICU's data (about 20 MB resident), and for each job its 1 MiB read
//   buffer, its combining table (16 K keys: ~3 MiB with its arena) and the
//   partly filled last block of each of its 64 runs, which the runs' byte
//   count does include. Chunks of gzip and pipe inputs come on top.
// - Half of the rest holds partition runs during the map: a thread whose
//   runs pass its share writes them all to disk and starts again, so the
//   runs of every thread together stay below the half.
// - The other half is for the finalize: `jobs` partitions are summed at
//   once, each in its own share, while the runs that were never spilled are
//   still in memory (they are freed as their partitions are done). A
//   partition whose records, table and sort would not fit its share is cut
//   into sub-partitions first.
// So at no point do runs, tables and sorts together pass the limit less the
// reserve, and peak RSS stays within the limit plus what the reserve
// misjudges; the README gives measured figures.
#include "ngfreq/memory-budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace ngfreq {

namespace {

constexpr i64 MiB = i64(1) << 20;
constexpr i64 FIXED_RESERVE = 40 * MiB;
constexpr i64 RESERVE_A_JOB = 8 * MiB;
// The combining table's size when memory is plentiful (reducer.cc says
// why), and the least it shrinks to under a tiny limit, so that tests can
// make every run spill many times.
constexpr i64 MAX_COMBINE_ENTRIES = 16 << 10;
constexpr i64 MIN_COMBINE_ENTRIES = 16;
// A flush adds up to ~60 bytes a key to the runs: keep a flush under a
// 256th of a thread's share, so spills come at the share, not far past it.
constexpr i64 FLUSHES_A_SHARE = 256;
constexpr i64 FLUSH_BYTES_A_KEY = 64;

// The memory cgroup v2 limit of this process, or 0 when there is none.
i64 cgroup_memory_limit() {
  std::string value = read_system_file("/sys/fs/cgroup/memory.max");
  if (value.empty() || value.starts_with("max")) return 0;
  try {
    return std::stoll(value);
  } catch (...) {
    return 0;
  }
}

}  // namespace

// Under an address space limit (ulimit -v), what the count may use of it:
// mappings are reserved before they are touched (thread stacks, huge-page
// alignment), so resident memory must stay well below it.
constexpr int ADDRESS_SPACE_PERCENT = 40;

i64 default_memory_limit() {
  i64 physical = i64(sysconf(_SC_PHYS_PAGES)) * i64(sysconf(_SC_PAGE_SIZE));
  i64 cgroup = cgroup_memory_limit();
  i64 usable = cgroup > 0 ? std::min(physical, cgroup) : physical;
  i64 limit = usable / 100 * DEFAULT_MEMORY_PERCENT;
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    limit = std::min(limit, i64(as.rlim_cur / 100 * ADDRESS_SPACE_PERCENT));
  return limit;
}

MemoryBudget MemoryBudget::make(i64 limit, int jobs, i64 stream_buffers) {
  MemoryBudget b;
  b.limit = limit;
  jobs = std::max(1, jobs);
  b.data = std::max<i64>(0, limit - FIXED_RESERVE - RESERVE_A_JOB * jobs - stream_buffers);
  b.runs = b.data / 2;
  b.task = b.data / 2 / jobs;
  b.combine_entries = std::clamp(b.runs / jobs / FLUSHES_A_SHARE / FLUSH_BYTES_A_KEY, MIN_COMBINE_ENTRIES,
                                 MAX_COMBINE_ENTRIES);
  return b;
}

}  // namespace ngfreq
