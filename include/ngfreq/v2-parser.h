// Maps text in Google Books v2 format to a frequency table.
//
//   ngram TAB year TAB match_count TAB volume_count LF
//
// CR LF line ends are accepted (the CR is dropped), and so is a missing final
// newline. Everything else that is not of this shape is a LineError.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/map-outcome.h"

namespace ngfreq {

/// Years outside this range are malformed data, not old books.
inline constexpr i64 MAX_YEAR = 9999;

/// Years are counted when since <= year <= until.
struct YearFilter {
  i64 since = std::numeric_limits<i64>::min();
  i64 until = std::numeric_limits<i64>::max();
  bool accepts(i64 year) const { return since <= year && year <= until; }
  /// Whether some year a well-formed line can hold (0 to MAX_YEAR) is left
  /// out: else a parser need only check a year, not compute it.
  bool leaves_out_a_year() const { return since > 0 || until < MAX_YEAR; }
};

/// Adds every line of `text` (whole lines only) to `table`. A malformed line
/// stops the mapping or is left out, as `on_error` says.
MapOutcome map_v2(std::string_view text, const YearFilter& years, FreqTable& table,
                  OnError on_error = OnError::fail);

struct MapOptions;
/// The same with the key options (formats.h).
MapOutcome map_v2(std::string_view text, const MapOptions& opts, FreqTable& table);

}  // namespace ngfreq
