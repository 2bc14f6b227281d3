// Turning the final table into output: top-K, word lookups and the full
// sorted listing, all in a fully defined order so that the bytes never
// depend on the executor, jobs, partition size or reduce mode.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ngfreq/freq-table.h"
#include "ngfreq/output-file.h"
#include "ngfreq/row-format.h"

namespace ngfreq {

/// The k entries with the largest totals (at least min_count), largest
/// first, ties in byte order of the key.
std::vector<const Entry*> top_entries(const FreqTable& table, i64 k, u64 min_count = 0);

/// Every entry with a total of at least min_count, sorted by the bytes of
/// the key (the order of `LC_ALL=C sort`; a --by-year key sorts by n-gram,
/// then year).
std::vector<const Entry*> sorted_entries(const FreqTable& table, u64 min_count = 0);

/// Writes `entries` as rows, formatting blocks in parallel.
void write_rows(OutputFile& out, const RowLayout& layout, std::span<const Entry* const> entries);

}  // namespace ngfreq
