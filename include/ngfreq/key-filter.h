// The n-grams a run keeps when it asks about a few of them (ngfreq series):
// every other key is dropped in the map, before it reaches a table, so the
// tables hold the queries' keys only, however large the corpus.
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
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
  void keep(std::string key) {
    u32 bit = sketch_bit(key);
    sketches_[bit / 64] |= u64(1) << (bit % 64);
    keys_.insert(std::move(key));
  }
  /// Keeps every n-gram that `pattern` matches.
  void keep(NgramPattern pattern) { patterns_.push_back(std::move(pattern)); }

  bool keeps(std::string_view key) const {
    u32 bit = sketch_bit(key);
    if ((sketches_[bit / 64] >> (bit % 64) & 1) && keys_.contains(key)) return true;
    for (const NgramPattern& p : patterns_)
      if (pattern_matches(p, key)) return true;
    return false;
  }

 private:
  // A bit per kept key, set from its length and first and last 8 bytes:
  // nearly every n-gram of a corpus is no query's, and one bit rules most
  // of them out before the set hashes the whole key (with 1,000 queries 2%
  // of keys get past it; the set's lookups were 6% of a series run).
  static constexpr u32 SKETCH_BITS = 1 << 16;
  static u32 sketch_bit(std::string_view key) {
    u64 head = 0, tail = 0;
    size_t n = std::min<size_t>(key.size(), 8);
    std::memcpy(&head, key.data(), n);
    std::memcpy(&tail, key.data() + key.size() - n, n);
    u64 h = (head ^ std::rotl(tail, 29) ^ key.size()) * 0x9e3779b97f4a7c15;
    return u32(h >> 48);
  }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> keys_;
  std::vector<NgramPattern> patterns_;
  std::vector<u64> sketches_ = std::vector<u64>(SKETCH_BITS / 64);
};

}  // namespace ngfreq
