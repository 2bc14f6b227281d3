// The last step of every parser: an n-gram's totals go into the table, after
// the key options (--tags, --ignore-case, --by-year) have had their say.
#pragma once

#include <string>
#include <string_view>

#include "ngfreq/common.h"
#include "ngfreq/formats.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/hash.h"

namespace ngfreq {

/// Bytes a --by-year key adds to its n-gram: a NUL (which no n-gram holds,
/// so keys sort by n-gram bytes first) and the year, 2 bytes big-endian (so
/// they sort by year next).
inline constexpr size_t YEAR_SUFFIX_BYTES = 3;

/// Whether a token is a Google POS-tagged word (Aardvark_NOUN, ,_.) or a
/// bare placeholder (_NOUN_, _START_, _END_, _ROOT_).
bool is_tagged_token(std::string_view token);

/// Whether any space-separated token of the n-gram is tagged.
bool has_tagged_token(std::string_view ngram);

/// The n-gram and year of a --by-year key.
inline std::pair<std::string_view, i64> split_year_key(std::string_view key) {
  size_t n = key.size() - YEAR_SUFFIX_BYTES;
  return {key.substr(0, n), i64(u8(key[n + 1])) << 8 | u8(key[n + 2])};
}

class KeySink {
 public:
  KeySink(const KeyOptions& opts, FreqTable& table) : opts_(opts), table_(table) {}

  /// Whether add() would count `ngram` at all (--tags and the key filter):
  /// a parser that asks once an n-gram can skip the calls for its other
  /// lines.
  bool wanted(std::string_view ngram) {
    if (opts_.tags != TagFilter::keep && has_tagged_token(ngram) != (opts_.tags == TagFilter::only))
      return false;
    return !opts_.only || filter_keeps(ngram);
  }

  /// Adds (count, volumes) to `ngram` (of `year`, used with by_year).
  void add(std::string_view ngram, i64 year, u64 count, u64 volumes) {
    if (opts_.plain()) {
      table_.add(ngram, table_.ordered() ? 0 : hash_key(ngram), count, volumes);
      return;
    }
    add_transformed(ngram, year, count, volumes);
  }

 private:
  void add_transformed(std::string_view ngram, i64 year, u64 count, u64 volumes);

  /// Whether the key filter keeps `ngram` (case-folded first with
  /// ignore_case).
  bool filter_keeps(std::string_view ngram);

  /// wanted(), remembered for the next call: an n-gram's lines (one a
  /// year) come together. Not in wanted() itself, which a parser calls once
  /// an n-gram, where the copy would cost more than it saves.
  bool wanted_remembered(std::string_view ngram);

  const KeyOptions& opts_;
  FreqTable& table_;
  std::string key_;  // reused: the transformed key
  std::string remembered_ngram_;
  bool remembered_wanted_ = false;
  bool remembered_any_ = false;
};

/// Unicode case folding (ICU, full folding) of each token of `ngram`,
/// leaving a Google tag suffix as it is, appended to `out`.
void fold_case(std::string_view ngram, std::string& out);

}  // namespace ngfreq
