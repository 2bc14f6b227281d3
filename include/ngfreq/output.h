// Turning the final table into output: top-K, word lookups and the full
// sorted listing, all in a fully defined order so that the bytes never
// depend on the executor, jobs, partition size or reduce mode.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ngfreq/freq-table.h"
#include "ngfreq/output-file.h"

namespace ngfreq {

/// The k entries with the largest totals, largest first, ties in byte order
/// of the n-gram.
std::vector<const Entry*> top_entries(const FreqTable& table, i64 k);

/// Every entry, sorted by the bytes of the n-gram (the order of
/// `LC_ALL=C sort`).
std::vector<const Entry*> sorted_entries(const FreqTable& table);

/// Appends "ngram TAB total [TAB volumes] LF".
void format_row(std::string& out, std::string_view ngram, u64 total, u64 volumes, bool with_volumes);

/// Writes `entries` as rows, formatting blocks in parallel.
void write_rows(OutputFile& out, std::span<const Entry* const> entries, bool with_volumes);

}  // namespace ngfreq
