// ngfreq generate: writes a realistic, deterministic Google Books v2 corpus.
#pragma once

#include <string>

#include "ngfreq/common.h"

namespace ngfreq {

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
};

struct GenerateSummary {
  i64 bytes = 0;   // uncompressed bytes written
  i64 lines = 0;   // lines written
  i64 ngrams = 0;  // distinct n-grams written
};

/// Writes the corpus described by `opts`. Throws Error on I/O failure.
GenerateSummary generate_corpus(const GenerateOptions& opts);

}  // namespace ngfreq
