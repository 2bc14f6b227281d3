#include "generate/vocabulary.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <limits>

namespace ngfreq::generator {
namespace {

// Draws are made in batches that double up to MAX_DRAW_BATCH: small
// targets (tests) then do little wasted work past the stop, large ones
// spread the serial dedupe over few parallel phases.
constexpr i64 FIRST_DRAW_BATCH = 1024;
constexpr i64 MAX_DRAW_BATCH = 1 << 16;
// Give up if a batch of draws yields under 1% new texts: the word list is
// too small for the target, and drawing on would not end.
constexpr double MIN_FRESH_SHARE = 0.01;

constexpr std::string_view ANCHOR_SURFACE = "Aardvark";
// Draw number of the anchors, far from those of real draws.
constexpr u64 ANCHOR_DRAW = u64(1) << 58;

int count_digits(u64 v) {
  // Most counts are small: test the short cases first.
  if (v < 10) return 1;
  if (v < 100) return 2;
  if (v < 1000) return 3;
  int n = 4;
  for (v /= 10000; v > 0; v /= 10) n++;
  return n;
}

u64 hash_text(std::string_view s) {
  u64 h = 0xcbf29ce484222325;  // FNV-1a, finished by mix64
  for (char c : s) h = (h ^ u8(c)) * 0x100000001b3;
  return mix64(h);
}

/// Open-addressing set of strings (the surface forms seen so far).
class TextSet {
 public:
  /// Adds s; returns false if it was there.
  bool insert(std::string_view s) {
    if (2 * (spans_.size() + 1) > slots_.size()) grow();
    for (u64 i = hash_text(s);; i++) {
      u32& slot = slots_[i & (slots_.size() - 1)];
      if (!slot) {
        if (arena_.size() + s.size() > std::numeric_limits<u32>::max())
          throw Error("generate: target too large (n-gram texts exceed 4 GiB)");
        spans_.push_back({u32(arena_.size()), u32(s.size())});
        arena_.append(s);
        slot = spans_.size();
        return true;
      }
      if (get(slot - 1) == s) return false;
    }
  }

 private:
  std::string_view get(u32 i) const { return {arena_.data() + spans_[i][0], spans_[i][1]}; }

  void grow() {
    std::vector<u32> old(std::max<size_t>(1024, slots_.size() * 2), 0);
    old.swap(slots_);
    for (u32 slot : old) {
      if (!slot) continue;
      u64 i = hash_text(get(slot - 1));
      while (slots_[i & (slots_.size() - 1)]) i++;
      slots_[i & (slots_.size() - 1)] = slot;
    }
  }

  std::string arena_;
  std::vector<std::array<u32, 2>> spans_;  // offset and length in arena_
  std::vector<u32> slots_;                 // 1 + index in spans_, or 0
};

void measure(const YearModel& model, const Vocabulary& vocab, Ngram& g) {
  i64 lines = 0, bytes = 0;
  model.generate(g.seed, vocab.total(g), [&](i64, i64 match, i64 volume) {
    lines++;
    bytes += count_digits(match) + count_digits(volume);
  });
  // Per line: the n-gram, the year and three tabs and a newline.
  bytes += lines * (g.len + 4 + 4);
  g.lines = lines;
  g.bytes = bytes;
}

/// Appends the n-grams of one surface form.
void add_ngrams(Vocabulary& vocab, std::string_view surface, const Variants& variants, u64 seed, u64 draw) {
  for (i64 v = 0; v < variants.count; v++) {
    std::string_view tag = tag_text(variants.tags[v]);
    if (vocab.arena.size() + surface.size() + tag.size() > std::numeric_limits<u32>::max())
      throw Error("generate: target too large (n-gram texts exceed 4 GiB)");
    Ngram g;
    g.seed = data_seed(seed, draw * MAX_VARIANTS + v);
    g.offset = vocab.arena.size();
    g.len = std::min<size_t>(surface.size() + tag.size(), std::numeric_limits<u16>::max());
    vocab.arena.append(surface);
    vocab.arena.append(tag);
    vocab.arena.resize(g.offset + g.len);
    vocab.ngrams.push_back(g);
  }
}

/// One draw: a surface form and the variants it gets if it is new.
struct Draw {
  std::string surface;
  Variants variants;
};

}  // namespace

/// Draws n-grams until their lines add up to about `target` bytes.
Vocabulary choose_vocabulary(const Words& words, const YearModel& model, u64 seed, char lead, i64 target,
                             const std::string& word_list, int n) {
  Vocabulary vocab;
  TextSet seen;
  seen.insert(ANCHOR_SURFACE);  // a later draw of it is a duplicate
  Variants anchor_variants;
  for (const Anchor& a : ANCHORS) anchor_variants.tags[anchor_variants.count++] = a.tag;
  // The anchors are 1-grams: a file of longer n-grams has none.
  if (n == 1) add_ngrams(vocab, ANCHOR_SURFACE, anchor_variants, seed, ANCHOR_DRAW);
  i64 total = 0;
  for (u16 k = 0; n == 1 && k < ANCHORS.size(); k++) {
    vocab.ngrams[k].anchor = k + 1;
    measure(model, vocab, vocab.ngrams[k]);
    total += vocab.ngrams[k].bytes;
  }

  std::vector<Draw> draws;
  bool done = total >= target;
  for (u64 first = 0, batch = FIRST_DRAW_BATCH; !done;
       first += batch, batch = std::min<u64>(2 * batch, MAX_DRAW_BATCH)) {
    draws.resize(batch);
    tbb::parallel_for(tbb::blocked_range<u64>(0, batch), [&](const tbb::blocked_range<u64>& r) {
      for (u64 j = r.begin(); j < r.end(); j++) {
        Rng rng(text_seed(seed, first + j));
        draws[j].surface = make_surface(rng, words, lead);
        for (int k = 1; k < n; k++) {
          draws[j].surface += ' ';
          draws[j].surface += make_surface(rng, words, 0);
          if (rng.chance(0.3)) draws[j].surface += tag_text(random_tag(rng));
        }
        draws[j].variants = make_variants(rng);
      }
    });

    i64 fresh_begin = vocab.ngrams.size();
    i64 fresh_surfaces = 0;
    for (u64 j = 0; j < batch; j++) {
      if (!seen.insert(draws[j].surface)) continue;
      add_ngrams(vocab, draws[j].surface, draws[j].variants, seed, first + j);
      fresh_surfaces++;
    }
    i64 fresh_end = vocab.ngrams.size();
    if (fresh_surfaces < MIN_FRESH_SHARE * batch)
      throw Error(
          fmt::format("word list '{}' is too small to make {} bytes of distinct n-grams", word_list, target));

    tbb::parallel_for(tbb::blocked_range<i64>(fresh_begin, fresh_end), [&](const tbb::blocked_range<i64>& r) {
      for (i64 i = r.begin(); i < r.end(); i++) measure(model, vocab, vocab.ngrams[i]);
    });

    // Stop at the n-gram that brings the size closest to the target.
    for (i64 i = fresh_begin; i < fresh_end; i++) {
      i64 bytes = vocab.ngrams[i].bytes;
      if (total + bytes >= target) {
        bool keep = total + bytes - target <= target - total;
        if (keep) total += bytes;
        vocab.ngrams.resize(i + keep);
        done = true;
        break;
      }
      total += bytes;
    }
  }
  return vocab;
}

/// Sorts the n-grams by their bytes, as LC_ALL=C sort orders the lines (a
/// tab sorts before every byte of an n-gram).
void sort_vocabulary(Vocabulary& vocab) {
  tbb::parallel_sort(vocab.ngrams.begin(), vocab.ngrams.end(),
                     [&](const Ngram& a, const Ngram& b) { return vocab.text(a) < vocab.text(b); });
}

}  // namespace ngfreq::generator
