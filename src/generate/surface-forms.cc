#include "generate/surface-forms.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace ngfreq::generator {
namespace {

// POS tags. Each distinct surface form is untagged with UNTAGGED_SHARE and
// has 1, 2 or 3 tagged variants with the cumulative probabilities below
// (else none; a form with no variant stays untagged). That makes 42% of
// n-grams, and so of lines, tagged: the brief asks for 30-50% of lines
// (the real v2 heads have 52-64%).
constexpr double UNTAGGED_SHARE = 0.72;
constexpr std::array<double, 3> TAGGED_VARIANTS = {0.36, 0.47, 0.49};
// Share of surfaces with an extra variant ending in a bare "_" (real quirk:
// "EYELIDS_"); tiny, so parsers meet it without it skewing the tag share.
constexpr double EMPTY_TAG_SHARE = 0.0005;

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// Upper-cases ASCII letters and the Latin-1 letters U+00E0-U+00FE (UTF-8
// C3 A0-BE, except the division sign C3 B7).
void to_upper(std::string& s) {
  for (size_t i = 0; i < s.size(); i++) {
    if (is_lower(s[i])) s[i] -= 32;
    if (u8(s[i]) == 0xc3 && i + 1 < s.size() && u8(s[i + 1]) >= 0xa0 && u8(s[i + 1]) <= 0xbe &&
        u8(s[i + 1]) != 0xb7)
      s[++i] -= 0x20;
  }
}

void to_lower(std::string& s) {
  for (char& c : s)
    if (is_upper(c)) c += 32;
}

template <class T, size_t N> const T& pick(Rng& rng, const std::array<T, N>& items) {
  return items[rng.below(N)];
}

template <class T> const T& pick(Rng& rng, const std::vector<T>& items) {
  return items[rng.below(items.size())];
}

struct Weighted {
  const char* text;
  int weight;
};

/// The index of an item drawn with probability proportional to its weight.
template <size_t N> i64 pick_weighted(Rng& rng, const std::array<Weighted, N>& items) {
  int total = 0;
  for (const Weighted& w : items) total += w.weight;
  i64 r = rng.below(total);
  for (size_t i = 0; i < N; i++)
    if ((r -= items[i].weight) < 0) return i;
  return 0;
}

// Google's v2 POS tags, weighted about as their n-gram shares in the real
// heads (NOUN first: the anchors refer to it by index).
constexpr std::array<Weighted, 12> TAGS = {{{"_NOUN", 560},
                                            {"_X", 86},
                                            {"_VERB", 84},
                                            {"_ADJ", 90},
                                            {"_NUM", 48},
                                            {"_PRON", 44},
                                            {"_.", 42},
                                            {"_DET", 41},
                                            {"_PRT", 11},
                                            {"_ADP", 12},
                                            {"_ADV", 20},
                                            {"_CONJ", 3}}};

// English suffixes for dictionary words, weighted roughly by frequency.
constexpr std::array<Weighted, 16> SUFFIXES = {{{"s", 30},
                                                {"ing", 14},
                                                {"ed", 14},
                                                {"er", 7},
                                                {"ers", 5},
                                                {"ly", 8},
                                                {"ness", 3},
                                                {"ment", 3},
                                                {"ism", 2},
                                                {"ist", 2},
                                                {"ic", 2},
                                                {"al", 3},
                                                {"able", 3},
                                                {"less", 2},
                                                {"ity", 2},
                                                {"ation", 3}}};

// Adds an English-looking suffix, with the usual spelling changes
// (make -> making, happy -> happiness, box -> boxes).
void add_suffix(std::string& w, std::string_view suffix) {
  char last = w.back();
  if (suffix == "s" &&
      (last == 's' || last == 'x' || last == 'z' || w.ends_with("ch") || w.ends_with("sh"))) {
    w += "es";
    return;
  }
  if (last == 'e' && (suffix[0] == 'i' || suffix[0] == 'e' || suffix[0] == 'a'))
    w.pop_back();
  else if (last == 'y' && suffix[0] != 'i' && w.size() > 2 && !strchr("aeiou", w[w.size() - 2]))
    w.back() = 'i';
  w += suffix;
}

// A dictionary word, maybe suffixed, in one of its case variants.
std::string word_form(Rng& rng, const Words& words) {
  std::string w = pick(rng, words.lead);
  bool proper = !is_lower(w[0]);
  // The list already has inflected forms (aardvarks): no suffix on those.
  bool inflected = w.ends_with('s') || w.ends_with("ing") || w.ends_with("ed") || w.ends_with("ly");
  if (!proper && !inflected && rng.chance(0.35)) add_suffix(w, SUFFIXES[pick_weighted(rng, SUFFIXES)].text);
  if (proper && !inflected && rng.chance(0.1)) add_suffix(w, "s");
  double r = rng.unit();
  if (proper) {
    if (r < 0.2)
      to_upper(w);
    else if (r < 0.25)
      to_lower(w);
  } else {
    if (r < 0.15)
      to_upper(w);
    else if (r < 0.42)
      capitalize(w);
  }
  return w;
}

// A made-up name or rare word, mostly capitalised.
std::string made_up_word(Rng& rng, const Words& words, char lead) {
  std::string w = words.pseudo.make(rng, lead);
  double r = rng.unit();
  if (r < 0.5)
    capitalize(w);
  else if (r < 0.65)
    to_upper(w);
  return w;
}

// Two or three words joined by hyphens ("after-dinner"), the later ones
// short, as in most real compounds.
std::string compound(Rng& rng, const Words& words) {
  std::string w = pick(rng, words.lead);
  int parts = rng.chance(0.05) ? 3 : 2;
  for (int i = 1; i < parts; i++) {
    std::string part = pick(rng, words.all);
    for (int tries = 0; tries < 3 && part.size() > 6; tries++) part = pick(rng, words.all);
    w += '-';
    w += part;
  }
  double r = rng.unit();
  if (r < 0.75)
    to_lower(w);
  else if (r < 0.95)
    capitalize(w);
  else
    to_upper(w);
  return w;
}

// A random position of an ASCII byte after the first, or 0 if none.
size_t ascii_position(Rng& rng, const std::string& w, bool (*want)(char)) {
  if (w.size() < 2) return 0;
  size_t start = 1 + rng.below(w.size() - 1);
  for (size_t k = 0; k < w.size() - 1; k++) {
    size_t i = 1 + (start - 1 + k) % (w.size() - 1);
    if (u8(w[i]) < 0x80 && want(w[i])) return i;
  }
  return 0;
}

// A word damaged the way OCR damages words: ACClDENT, ACT1VITY,
// ADJOURNMEN, ADMlNlSTRATlON, ACKN0WLEDGMENT.
std::string ocr_junk(Rng& rng, const Words& words) {
  static constexpr std::array<std::array<char, 2>, 14> SWAPS = {{{'l', '1'},
                                                                 {'l', 'I'},
                                                                 {'I', 'l'},
                                                                 {'i', 'l'},
                                                                 {'I', '1'},
                                                                 {'o', '0'},
                                                                 {'O', '0'},
                                                                 {'e', 'c'},
                                                                 {'S', '5'},
                                                                 {'B', '8'},
                                                                 {'h', 'b'},
                                                                 {'t', 'f'},
                                                                 {'E', 'F'},
                                                                 {'n', 'u'}}};
  std::string w = word_form(rng, words);
  int damages = rng.chance(0.25) ? 2 : 1;
  for (int d = 0; d < damages; d++) {
    double r = rng.unit();
    if (r < 0.55) {
      std::array<char, 2> swap = pick(rng, SWAPS);
      for (char& c : w)
        if (&c != &w[0] && c == swap[0] && rng.chance(0.7)) c = swap[1];
    } else if (r < 0.7) {
      bool ascii =
          std::all_of(w.end() - std::min<size_t>(w.size(), 3), w.end(), [](char c) { return u8(c) < 0x80; });
      if (ascii && w.size() > 5) w.resize(w.size() - 1 - rng.below(3));
    } else if (r < 0.85) {
      size_t i = ascii_position(rng, w, [](char) { return true; });
      if (i) w.insert(w.begin() + i, char('0' + rng.below(10)));
    } else {
      size_t i = ascii_position(rng, w, [](char c) { return is_lower(c) || is_upper(c); });
      if (i) w.insert(w.begin() + i, w[i]);
    }
  }
  return w;
}

char lead_letter(Rng& rng, char lead, double upper_share) {
  char c = lead ? lead : char('a' + rng.below(26));
  return rng.chance(upper_share) ? char(c - 32) : c;
}

void append_digits(Rng& rng, std::string& w, i64 count) {
  for (i64 i = 0; i < count; i++) w += char('0' + rng.below(10));
}

void append_upper(Rng& rng, std::string& w, i64 count) {
  for (i64 i = 0; i < count; i++) w += char('A' + rng.below(26));
}

// Catalogue numbers and similar: A17, AL03, A4355, A1.54, A/65, A116e, A2TO.
std::string code(Rng& rng, char lead) {
  std::string w(1, lead_letter(rng, lead, 0.9));
  append_upper(rng, w, rng.chance(0.6) ? 0 : 1 + rng.below(3));
  append_digits(rng, w, 1 + rng.below(rng.chance(0.7) ? 3 : 7));
  double r = rng.unit();
  if (r < 0.15) {
    w += '.';
    append_digits(rng, w, 1 + rng.below(2));
  } else if (r < 0.22) {
    w += char('a' + rng.below(26));
  } else if (r < 0.32) {
    append_upper(rng, w, 1 + rng.below(2));
  }
  return w;
}

// Acronyms and initials: ABQ, AFCEA, AFm, A.J.B., A.G.S, A.Briggs, AAAAAA.
std::string acronym(Rng& rng, const Words& words, char lead) {
  std::string w(1, lead_letter(rng, lead, 1.0));
  double r = rng.unit();
  if (r < 0.6) {
    append_upper(rng, w, 1 + rng.below(5));
    if (rng.chance(0.15)) w.back() += 32;
  } else if (r < 0.8) {
    i64 letters = 1 + rng.below(3);
    for (i64 i = 0; i < letters; i++) {
      w += '.';
      w += char('A' + rng.below(26));
    }
    if (rng.chance(0.7)) w += '.';
  } else if (r < 0.92) {
    std::string name = pick(rng, words.all);
    capitalize(name);
    w += '.';
    w += name;
  } else {
    w.append(3 + rng.below(16), w[0]);
  }
  return w;
}

// A word with an accented letter (UTF-8): é, ü, ñ, ç ...
std::string accented(Rng& rng, const Words& words) {
  // Latin-1 code points of lower-case accented letters, by base letter; the
  // upper-case ones are 0x20 lower.
  struct Accents {
    char base;
    std::array<u8, 5> points;
    int count;
  };
  static constexpr std::array<Accents, 7> ACCENTS = {{{'a', {0xe1, 0xe0, 0xe2, 0xe4, 0xe3}, 5},
                                                      {'e', {0xe9, 0xe8, 0xea, 0xeb}, 4},
                                                      {'i', {0xed, 0xee, 0xef}, 3},
                                                      {'o', {0xf3, 0xf4, 0xf6, 0xf5}, 4},
                                                      {'u', {0xfa, 0xfc, 0xfb}, 3},
                                                      {'n', {0xf1}, 1},
                                                      {'c', {0xe7}, 1}}};
  std::string w = word_form(rng, words);
  int changes = rng.chance(0.1) ? 2 : 1;
  for (int k = 0; k < changes; k++) {
    size_t i = ascii_position(rng, w, [](char c) { return strchr("aeiouncAEIOUNC", c) != nullptr; });
    if (!i) break;
    char base = w[i] | 0x20;
    const Accents* a =
        std::find_if(ACCENTS.begin(), ACCENTS.end(), [&](const Accents& x) { return x.base == base; });
    u8 point = a->points[rng.below(a->count)] - (is_upper(w[i]) ? 0x20 : 0);
    w.replace(i, 1, std::string{char(0xc3), char(0x80 + (point - 0xc0))});
  }
  return w;
}

// Tokens with inner punctuation: A'Aang, A.165, A.5.3, a.m., A.o., A/65.
std::string punctuated(Rng& rng, const Words& words, char lead) {
  std::string w(1, lead_letter(rng, lead, 0.8));
  double r = rng.unit();
  if (r < 0.35) {
    std::string tail = words.pseudo.make(rng, 0);
    if (rng.chance(0.6)) capitalize(tail);
    w += '\'';
    w += tail;
  } else if (r < 0.6) {
    w += '.';
    append_digits(rng, w, 1 + rng.below(3));
    if (rng.chance(0.3)) {
      w += '.';
      append_digits(rng, w, 1);
    }
  } else if (r < 0.8) {
    w += '.';
    w += char('a' + rng.below(26));
    if (rng.chance(0.7)) w += '.';
  } else {
    w += '/';
    if (rng.chance(0.5)) append_upper(rng, w, 2 + rng.below(3));
    append_digits(rng, w, 1 + rng.below(3));
  }
  return w;
}

}  // namespace

void capitalize(std::string& s) {
  if (is_lower(s[0])) s[0] -= 32;
}

std::string make_surface(Rng& rng, const Words& words, char lead) {
  // Shares of the draws. Dictionary forms repeat more and more as the
  // target grows, so the other kinds make up more of the distinct n-grams
  // of a large file; these shares give the real file's ~20.8 bytes a line
  // at 1.8 GB (and ~21 at a few MB).
  double r = rng.unit();
  if ((r -= 0.45) < 0) return word_form(rng, words);
  if ((r -= 0.18) < 0) return made_up_word(rng, words, lead);
  if ((r -= 0.015) < 0) return compound(rng, words);
  if ((r -= 0.10) < 0) return ocr_junk(rng, words);
  if ((r -= 0.11) < 0) return code(rng, lead);
  if ((r -= 0.08) < 0) return acronym(rng, words, lead);
  if ((r -= 0.035) < 0) return accented(rng, words);
  return punctuated(rng, words, lead);
}

static_assert(std::string_view(TAGS[NOUN].text) == "_NOUN");

Variants make_variants(Rng& rng) {
  Variants v;
  if (rng.chance(UNTAGGED_SHARE)) v.tags[v.count++] = UNTAGGED;
  double r = rng.unit();
  i64 tagged = r < TAGGED_VARIANTS[0] ? 1 : r < TAGGED_VARIANTS[1] ? 2 : r < TAGGED_VARIANTS[2] ? 3 : 0;
  for (i64 k = 0, tries = 0; k < tagged && tries < 10; tries++) {
    i64 index = pick_weighted(rng, TAGS);
    if (std::find(v.tags.begin(), v.tags.begin() + v.count, index) != v.tags.begin() + v.count) continue;
    v.tags[v.count++] = index;
    k++;
  }
  if (rng.chance(EMPTY_TAG_SHARE)) v.tags[v.count++] = EMPTY_TAG;
  if (v.count == 0) v.tags[v.count++] = UNTAGGED;
  return v;
}

std::string_view tag_text(i64 tag) { return tag == UNTAGGED ? "" : tag == EMPTY_TAG ? "_" : TAGS[tag].text; }

i64 random_tag(Rng& rng) { return pick_weighted(rng, TAGS); }

}  // namespace ngfreq::generator
