// The word list the generator draws from, and a character trigram model of
// it for made-up words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generate/random.h"

namespace ngfreq::generator {

/// Character trigram model of a word list, for made-up words that look like
/// the names and rare words filling most of a real 1-gram file (AHLUWALIA,
/// AJZENBERG). Dictionary forms run out long before 1.7 million distinct
/// n-grams; these do not.
class PseudoWords {
 public:
  /// Learns from a word; only words of ASCII letters count.
  void train(std::string_view word) {
    // Not std::isalpha: it depends on the locale.
    if (!std::all_of(word.begin(), word.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }))
      return;
    int a = 0, b = 0;
    for (size_t i = 0; i <= word.size(); i++) {
      int c = i < word.size() ? (word[i] | 0x20) - 'a' + 1 : 0;
      counts_[(a * K + b) * K + c]++;
      totals_[a * K + b]++;
      a = b;
      b = c;
    }
  }

  /// A lower-case word of 3-10 letters starting with `lead` (any if 0).
  std::string make(Rng& rng, char lead) const {
    std::string w;
    for (int attempt = 0; attempt < 8 && w.size() < 3; attempt++) {
      w.clear();
      int a = 0, b = 0;
      if (lead) {
        w += lead;
        b = lead - 'a' + 1;
      }
      while (w.size() < 10) {
        i64 total = totals_[a * K + b];
        if (total == 0) break;
        i64 r = rng.below(total);
        int c = 0;
        while ((r -= counts_[(a * K + b) * K + c]) >= 0) c++;
        if (c == 0) break;
        w += char('a' + c - 1);
        a = b;
        b = c;
      }
    }
    if (w.empty()) w += lead ? lead : 'a';
    return w;
  }

 private:
  static constexpr int K = 27;  // word boundary and a-z
  std::vector<u32> counts_ = std::vector<u32>(K * K * K);
  std::vector<u32> totals_ = std::vector<u32>(K * K);
};

struct Words {
  std::vector<std::string> lead;  // words an n-gram may start with
  std::vector<std::string> all;   // every usable word (compound tails)
  PseudoWords pseudo;             // trained on `all`
};

/// Reads the word list; keeps words without blanks or '_' (the tag
/// separator) and drops possessives ("aardvark's"), which v2 splits into
/// two tokens. `lead` != 0 keeps only words starting with it in either case.
Words load_words(const std::string& path, char lead);

}  // namespace ngfreq::generator
