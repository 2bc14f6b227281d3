// The input formats ngfreq reads, and the one entry point that maps a piece
// of text of any of them to a frequency table.
//
//   v1 (20090715)  ngram TAB year TAB match_count TAB page_count TAB volume_count
//   v2 (20120701)  ngram TAB year TAB match_count TAB volume_count
//   v3 (20200217)  ngram TAB year,match_count,volume_count TAB year,match,volumes ...
//   text           any UTF-8 text; each line split into words, n-grams of
//                  --ngram consecutive words within a line, each counted once
//
// n-grams of every order: the n-gram field of v1-v3 may contain spaces.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/key-filter.h"
#include "ngfreq/map-outcome.h"
#include "ngfreq/v2-parser.h"

namespace ngfreq {

enum class Format : u32 { automatic, v1, v2, v3, text };

/// How text is split into words.
enum class Tokenizer : u32 {
  whitespace,  // runs of bytes other than ASCII space, TAB, CR, LF, VT, FF (Python's bytes.split())
  word,        // runs of Unicode letters, digits and apostrophes (' and U+2019)
};

/// What happens to entries with Google's POS tags (Aardvark_NOUN) and the
/// bare placeholders (_NOUN_, _START_, _END_, _ROOT_).
enum class TagFilter : u32 {
  keep,  // count every entry
  drop,  // leave out entries in which any token is tagged or a placeholder
  only,  // count only those entries
};

/// The TagFilter a --tags value (keep, drop, only) names; UsageError else.
TagFilter parse_tag_filter(std::string_view name);

/// What becomes of an n-gram before it is counted.
struct KeyOptions {
  TagFilter tags = TagFilter::keep;
  /// Merge case variants by Unicode case folding (ICU); tag suffixes keep
  /// their case.
  bool ignore_case = false;
  /// Count (n-gram, year) pairs instead of n-grams.
  bool by_year = false;
  /// When set, only these n-grams (after --tags and --ignore-case) are
  /// counted. Shared, not copied: every map's options point at one set.
  std::shared_ptr<const KeyFilter> only;

  bool plain() const { return tags == TagFilter::keep && !ignore_case && !by_year && !only; }
};

/// Everything a parser needs besides its text.
struct MapOptions {
  YearFilter years;
  OnError on_error = OnError::fail;
  KeyOptions keys;
  Tokenizer tokenizer = Tokenizer::whitespace;  // text only
  int ngram = 1;                                // text only: words an n-gram
};

/// Adds every line of `text` (whole lines only), read as `format` (never
/// automatic), to `table`.
MapOutcome map_text(Format format, std::string_view text, const MapOptions& opts, FreqTable& table);

/// The text parser (text-parser.cc).
MapOutcome map_words(std::string_view text, const MapOptions& opts, FreqTable& table);

/// v1 and v3 (v2 is v2-parser.h).
MapOutcome map_v1(std::string_view text, const MapOptions& opts, FreqTable& table);
MapOutcome map_v3(std::string_view text, const MapOptions& opts, FreqTable& table);

/// The format of a file from its first bytes (a few lines are enough), or
/// throws InputError naming `path` and saying what was seen.
Format detect_format(std::string_view head, const std::string& path);

/// "v1", "v2", "v3", "text" or "auto".
const char* format_name(Format f);

}  // namespace ngfreq
