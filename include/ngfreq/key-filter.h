// The n-grams a run keeps when it asks about a few of them (ngfreq series):
// every other key is dropped in the map, before it reaches a table, so the
// tables hold the queries' keys only, however large the corpus.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ngfreq/common.h"

namespace ngfreq {

/// One token of a wildcard query: a word, a prefix (`Aard*`) or any token
/// (`*`).
struct TokenPattern {
  enum class Kind { word, prefix, any };
  Kind kind = Kind::word;
  std::string text;  // the word, or the prefix without its '*'

  bool matches(std::string_view token) const {
    return kind == Kind::any || (kind == Kind::word ? token == text : token.starts_with(text));
  }
};

/// The tokens of a pattern query, as parse_pattern() reads `* switch`.
using NgramPattern = std::vector<TokenPattern>;

/// Splits a query on spaces into token patterns: `*` is any token, a token
/// ending in `*` a prefix.
NgramPattern parse_pattern(std::string_view ngram);

/// Whether `ngram` has as many space-separated tokens as `pattern` and each
/// matches its own.
bool pattern_matches(const NgramPattern& pattern, std::string_view ngram);

class KeyFilter {
 public:
  /// Keeps `key` (an n-gram as counted: case-folded with --ignore-case).
  void keep(std::string key) { keys_.insert(std::move(key)); }
  /// Keeps every n-gram that `pattern` matches.
  void keep(NgramPattern pattern) { patterns_.push_back(std::move(pattern)); }

  bool keeps(std::string_view key) const {
    if (keys_.contains(key)) return true;
    for (const NgramPattern& p : patterns_)
      if (pattern_matches(p, key)) return true;
    return false;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> keys_;
  std::vector<NgramPattern> patterns_;
};

}  // namespace ngfreq
