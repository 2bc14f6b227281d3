// --stats: where the time and memory of a count went.
#pragma once

#include "ngfreq/count.h"
#include "ngfreq/spill-file.h"
#include "ngfreq/totals.h"

namespace ngfreq {

/// Peak resident set size of this process so far, in bytes.
i64 peak_rss_bytes();

/// Peak resident set size of the largest reaped child process, in bytes.
i64 peak_children_rss_bytes();

/// Prints the phases, sizes and rates of a run to stderr; `distinct` < 0
/// when the run did not count its distinct keys.
void print_stats(const CountStats& st, i64 distinct, double output_seconds, double total_seconds);

/// Prints the memory limit and what the count and its sorted output
/// spilled to disk.
void print_spill_stats(const FinalizeStats& finalize, const SpillStats& sort, i64 memory_limit);

}  // namespace ngfreq
