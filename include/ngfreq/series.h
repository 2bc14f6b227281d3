// ngfreq series: the Google Books Ngram Viewer's curves, offline. A query
// (`Aardvark`, `kill switch`, or a group `walk|walks|walked` summed into one
// curve) becomes a value a year: its match count, its volume count, or its
// share of everything printed that year (Google's total-counts file), with
// the Viewer's centred moving average.
//
// The count behind it is an ordinary `count --by-year` whose maps keep only
// the queries' n-grams (key-filter.h): one pass over the inputs for every
// query, and tables the size of the answer.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/key-filter.h"
#include "ngfreq/row-format.h"

namespace ngfreq {

struct SeriesQuery {
  std::string label;                 // as the user wrote it: a column name
  std::vector<std::string> members;  // the n-grams summed into its curve, as counted
  /// A wildcard query (`Aard*`, `* switch`): no members until
  /// expand_wildcards() replaces it by the n-grams it matched.
  bool wildcard = false;
  NgramPattern pattern;
};

/// Parses queries: members separated by '|', spaces around them trimmed,
/// case-folded with `ignore_case`; a query with a token `*` or ending in `*`
/// is a wildcard. Throws UsageError for an empty member, a TAB or line
/// break, or a wildcard in a group.
std::vector<SeriesQuery> parse_queries(const std::vector<std::string>& texts, bool ignore_case);

/// The queries of a --words-file: one a line, blank lines skipped. Throws
/// Error naming the file if it cannot be read.
std::vector<std::string> read_query_lines(const std::string& path);

/// The filter that keeps every member of every query.
std::shared_ptr<const KeyFilter> query_filter(const std::vector<SeriesQuery>& queries);

/// Google's total-counts file, year -> match count: entries
/// `year,match_count,page_count,volume_count` separated by TABs, spaces or
/// line breaks (v2: one line; v3: the same after a leading " \t"; or one an
/// line). Throws InputError naming the file and the entry (1-based) for a
/// malformed entry or a year given twice.
std::map<i64, u64> read_total_counts(const std::string& path);

/// One n-gram's (match, volume) counts by year, as the count found them.
using YearCounts = std::map<i64, std::pair<u64, u64>>;

/// Replaces each wildcard query by a query for each of the `expand` n-grams
/// it matched with the largest match counts over the counted years (the
/// Viewer's top substitutions; ties go to the n-gram first in byte order),
/// most frequent first. A wildcard that matched nothing stays, as a curve of
/// zeros, and is named in `unmatched`.
std::vector<SeriesQuery> expand_wildcards(const std::vector<SeriesQuery>& queries,
                                          const std::unordered_map<std::string, YearCounts>& counts,
                                          int expand, std::vector<std::string>& unmatched);

enum class SeriesValue { count, volumes, relative };

/// The SeriesValue a --value name (count, volumes, relative) says; an empty
/// name is relative when there is a total-counts file, else count. Throws
/// UsageError for any other name.
SeriesValue series_value_named(std::string_view name, bool have_totals);

/// The scale a --per name (percent, million, fraction) says; UsageError else.
double series_scale_named(std::string_view name);

struct SeriesSettings {
  SeriesValue value = SeriesValue::count;
  /// relative: the share is multiplied by this (100 for percent).
  double scale = 100;
  /// Years each side of a year that its value is averaged over.
  int smoothing = 0;
  /// The years of the table; unset: from the first to the last year any
  /// query matched.
  std::optional<i64> since, until;
  /// The total-counts file, for messages.
  std::string totals_path;
};

/// A year x query table: values[q][y] is query q's value in years[y].
struct SeriesTable {
  std::vector<std::string> labels;
  std::vector<i64> years;
  std::vector<std::vector<double>> values;
  bool integral = false;  // whole counts: printed without a fraction
};

/// Sums each query's members by year, over every year of the range (missing
/// years are 0), turns them into the value asked for and smooths them.
/// Throws Error if a query matched in a year that `totals` lacks.
SeriesTable make_series(const std::vector<SeriesQuery>& queries,
                        const std::unordered_map<std::string, YearCounts>& counts,
                        const std::map<i64, u64>* totals, const SeriesSettings& settings);

/// The table as text: TSV or CSV with a header (year, then a column a
/// query), or JSON Lines (an object a query and year, query by query).
std::string format_series(const SeriesTable& table, RowFormat format);

}  // namespace ngfreq
