#include "ngfreq/key-filter.h"

namespace ngfreq {

NgramPattern parse_pattern(std::string_view ngram) {
  NgramPattern pattern;
  for (size_t start = 0; start <= ngram.size();) {
    size_t end = std::min(ngram.find(' ', start), ngram.size());
    std::string_view token = ngram.substr(start, end - start);
    TokenPattern t;
    if (token == "*") {
      t.kind = TokenPattern::Kind::any;
    } else if (token.size() > 1 && token.ends_with('*')) {
      t.kind = TokenPattern::Kind::prefix;
      t.text = token.substr(0, token.size() - 1);
    } else {
      t.text = token;
    }
    pattern.push_back(std::move(t));
    start = end + 1;
  }
  return pattern;
}

bool pattern_matches(const NgramPattern& pattern, std::string_view ngram) {
  size_t start = 0;
  for (size_t i = 0; i < pattern.size(); i++) {
    if (start > ngram.size()) return false;  // fewer tokens than the pattern
    size_t end = std::min(ngram.find(' ', start), ngram.size());
    if (!pattern[i].matches(ngram.substr(start, end - start))) return false;
    start = end + 1;
  }
  return start == ngram.size() + 1;  // and no more tokens
}

}  // namespace ngfreq
