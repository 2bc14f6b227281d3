// The count behind a series (series.h): an ordinary count --by-year whose
// maps keep only the queries' n-grams, then the year x query table. Shared
// by the CLI's `series` and the library's series_ngrams().
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ngfreq/count.h"
#include "ngfreq/series.h"

namespace ngfreq {

struct SeriesCount {
  SeriesTable table;
  /// Wildcard queries that matched no n-gram (a curve of zeros each).
  std::vector<std::string> unmatched;
  CountStats stats;
  SkippedLines skipped;
  i64 distinct = 0;          // (n-gram, year) keys the filter kept
  double table_seconds = 0;  // after the count: the table made
};

/// Counts `opts`'s inputs for `queries` (parse_queries) and makes the table;
/// `totals` (read_total_counts) is needed for SeriesValue::relative.
SeriesCount count_series(CountOptions opts, std::vector<SeriesQuery> queries,
                         const std::map<i64, u64>* totals, const SeriesSettings& settings, int expand);

}  // namespace ngfreq
