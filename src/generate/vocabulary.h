// The vocabulary: the distinct n-grams of a corpus, each with the seed of
// its statistics and its exact size in the output.
//
// choose_vocabulary() draws surface forms one after another, draw j from
// its own RNG seeded by `seed` and j, keeps the first draw of each and
// gives it its tagged variants (surface-forms.h). Every n-gram's lines come
// from a second seeded RNG, so its exact size is known before anything is
// formatted, and drawing stops at the n-gram that brings the total closest
// to the target. The draws do not depend on the target or on one another,
// so a smaller target is a sample of the same distribution, and nothing
// depends on the number of threads.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "generate/surface-forms.h"
#include "generate/word-list.h"
#include "generate/year-model.h"

namespace ngfreq::generator {

/// One distinct n-gram: its text in the arena, the seed of its statistics
/// and its exact output size.
struct Ngram {
  u64 seed = 0;
  u32 offset = 0;
  u32 bytes = 0;  // at most 509 lines of at most ~100 bytes
  u16 len = 0;
  u16 lines = 0;
  u16 anchor = 0;  // 1 + index in ANCHORS, or 0
};

// N-grams that always exist, with a fixed total, so examples and tests can
// rely on them (the real "Aardvark" has a total of the same order).
struct Anchor {
  i64 tag;
  double total;
};
constexpr std::array<Anchor, 2> ANCHORS = {{{UNTAGGED, 14'000}, {NOUN, 9'000}}};

struct Vocabulary {
  std::string arena;
  std::vector<Ngram> ngrams;

  std::string_view text(const Ngram& g) const { return {arena.data() + g.offset, g.len}; }
  double total(const Ngram& g) const { return g.anchor ? ANCHORS[g.anchor - 1].total : 0; }
};

/// Draws n-grams until their lines add up to about `target` bytes.
Vocabulary choose_vocabulary(const Words& words, const YearModel& model, u64 seed, char lead, i64 target,
                             const std::string& word_list, int n);

/// Sorts the n-grams by their bytes, as LC_ALL=C sort orders the lines (a
/// tab sorts before every byte of an n-gram).
void sort_vocabulary(Vocabulary& vocab);

}  // namespace ngfreq::generator
