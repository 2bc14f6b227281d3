// ngfreq generate: writes a realistic, deterministic Google Books corpus
// (v2 or v3 layout, n-grams of order 1 to 5) or English-like text.
#pragma once

#include <string>

#include "ngfreq/common.h"

namespace ngfreq {

enum class GenerateFormat : u32 { v2, v3, text };

struct GenerateOptions {
  /// Where to write; "-" is standard output. Written atomically.
  std::string output_path;
  /// "" (all letters) or "a" (mimics googlebooks-eng-all-1gram-20120701-a).
  std::string profile;
  /// Approximate output size in bytes (uncompressed). 0 means the profile's
  /// size: 1,801,526,075 for "a", 100,000,000 otherwise.
  i64 target_bytes = 0;
  u64 seed = 1;
  bool gzip = false;
  /// Word list, one word a line. Empty: Debian's /usr/share/dict/words.
  std::string word_list;
  /// v3 holds the same corpus as v2 of the same seed and size, one line an
  /// n-gram (so about half the bytes): target_bytes is the v2 size.
  GenerateFormat format = GenerateFormat::v2;
  /// Tokens an n-gram (v2, v3): 1 to 5.
  int n = 1;
};

struct GenerateSummary {
  i64 bytes = 0;   // uncompressed bytes written
  i64 lines = 0;   // lines written
  i64 ngrams = 0;  // distinct n-grams written (v2, v3)
  i64 words = 0;   // words written (text)
};

/// Writes the corpus described by `opts`. Throws Error on I/O failure.
GenerateSummary generate_corpus(const GenerateOptions& opts);

}  // namespace ngfreq
