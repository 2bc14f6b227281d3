// The full sorted listing of a table in memory, in a fully defined order
// so that the bytes never depend on the executor, jobs, partition size or
// reduce mode (count-answer.h gathers the rest of a count's output).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ngfreq/freq-table.h"
#include "ngfreq/row-format.h"
#include "ngfreq/row-sink.h"

namespace ngfreq {

/// Every entry with a total of at least min_count, sorted by the bytes of
/// the key (the order of `LC_ALL=C sort`; a --by-year key sorts by n-gram,
/// then year).
std::vector<const Entry*> sorted_entries(const FreqTable& table, u64 min_count = 0);

/// Sorts `entries` by the bytes of their keys, on this thread.
void sort_by_key(std::vector<const Entry*>& entries);

/// Writes `entries` as rows, formatting blocks in parallel.
void write_rows(RowSink& out, const RowLayout& layout, std::span<const Entry* const> entries);

}  // namespace ngfreq
