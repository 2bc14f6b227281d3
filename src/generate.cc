// Deterministic generator of a realistic Google Books v2 1-gram corpus.
//
// choose_vocabulary() draws surface forms (n-grams without their POS tag)
// one after another, draw j from its own RNG seeded by `seed` and j: a
// dictionary word in a case variant, maybe suffixed; a made-up word from a
// character trigram model of the word list (the names and rare words that
// fill most of a real file); a hyphenated compound; an OCR-damaged word; a
// code such as "A4355"; an acronym; an accented (UTF-8) word; or a token
// with inner punctuation. The first draw of each surface is kept and gets
// its variants: untagged and/or with one to three of Google's tags. Tags
// come after deduplication so that the tagged share stays put while common
// dictionary forms run out at large targets. Every n-gram's lines come from
// a second seeded RNG, so its exact size is known before anything is
// formatted, and drawing stops at the n-gram that brings the total closest
// to the target. The draws do not depend on the target or on one another,
// so a smaller target is a sample of the same distribution, and nothing
// depends on the number of threads.
//
// An n-gram's total match count follows Zipf's law with exponent 1: it is
// MIN_TOTAL / q for a uniform q, so the r-th most frequent of N n-grams has
// about MIN_TOTAL * N / r matches. Its number of years grows as total^0.3
// (frequent n-grams cover up to all 509 years of 1500-2008, rare ones one
// to a few). The years are a weighted sample without replacement that
// favours recent years as the number of books per year does, and the total
// is spread over them with Gamma(2) noise.
//
// sort_vocabulary() orders the n-grams by their bytes (LC_ALL=C sort order),
// and write_corpus() formats blocks of them in parallel in a tbb pipeline
// and writes (or gzips) the blocks in order: memory stays at a few blocks
// however large the output. The trade-off is that every n-gram's lines are
// generated twice, once to size and once to format. Sizing costs about a
// quarter of the CPU time, and it buys an exact stop at the target and
// exactly sized buffers.
//
// Floating-point numbers see only + - * / and exact bit operations (det_log,
// det_exp), never libm's log/exp or std:: distributions, whose results may
// change between library versions. The bytes are the same for every thread
// count; a build that lets the compiler fuse multiply-adds (-march with FMA)
// may round differently from one that does not.
#include "ngfreq/generate.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#ifdef NGFREQ_HAVE_ISAL
#  include <isa-l/igzip_lib.h>
#endif

#include "ngfreq/output-file.h"

namespace ngfreq {
namespace {

using u16 = std::uint16_t;
__extension__ using u128 = unsigned __int128;

/// Size of googlebooks-eng-all-1gram-20120701-a, the default for profile "a".
constexpr i64 A_PROFILE_BYTES = 1'801'526'075;
/// Default size without a profile: big enough to time, small enough to
/// generate in about a second.
constexpr i64 DEFAULT_BYTES = 100'000'000;
constexpr const char* DEFAULT_WORD_LIST = "/usr/share/dict/words";

constexpr int FIRST_YEAR = 1500;
constexpr int LAST_YEAR = 2008;
constexpr int NUM_YEARS = LAST_YEAR - FIRST_YEAR + 1;

// Total of the rarest n-gram; Zipf's law scales everything else from it.
// Google kept only n-grams seen at least 40 times in v2, but the real heads'
// totals have a 10th percentile of 59 and a median of 168: 60 puts the
// synthetic median at 120 and single-match lines near the real 30%.
constexpr double MIN_TOTAL = 60;
// Smallest Zipf quantile: caps a total at 60e9 matches, about twice what
// "the" has in the whole English corpus, so one unlucky draw stays
// plausible.
constexpr double MIN_QUANTILE = 1e-9;
// Years per n-gram = YEARS_SCALE * (total / MIN_TOTAL)^YEARS_SLOPE times
// lognormal noise of YEARS_SIGMA, capped at 509. Fitted to the real v2
// heads (median 39 and mean 53 lines an n-gram, p10 21, p90 105; about 30
// years for totals under 100, 230 for totals over 100,000) and to the real
// "a" file's 51 lines an n-gram; this gives median 42, mean 51, p10 17, p90
// 93. A steeper slope would put more lines on the few frequent n-grams and
// fewer on the many rare ones.
constexpr double YEARS_SCALE = 33;
constexpr double YEARS_SLOPE = 0.3;
constexpr double YEARS_SIGMA = 0.55;
// Share of the rarer half of n-grams (total < 2 * MIN_TOTAL) seen in only
// 1-5 years, like a term from a single book: 4% of all n-grams. Real v2
// heads have fewer (about 0.2%), as the 40-match threshold removes most;
// more would lower the lines per n-gram.
constexpr double SPORADIC_SHARE = 0.08;
constexpr i64 SPORADIC_MAX_YEARS = 5;
// Volumes per year, roughly as in the v2 English total counts (log-linear in
// between): years are drawn and counts spread in proportion to them, so
// these shape the year mix (real heads: 0.2% of lines before 1700, 17% in
// the 1800s, 63% from 1950).
struct BooksKnot {
  int year;
  double books;
};
constexpr std::array<BooksKnot, 9> BOOKS_PER_YEAR = {{{1500, 1},
                                                      {1600, 4},
                                                      {1700, 60},
                                                      {1800, 1'000},
                                                      {1850, 3'500},
                                                      {1900, 12'000},
                                                      {1950, 15'000},
                                                      {2000, 100'000},
                                                      {2008, 206'000}}};
// volume_count is about match_count^0.84 (real heads: volume/match is 0.88
// at 2-3 matches, 0.5 at 30-99, 0.33 above 1,000); the noise around it is
// +-VOLUME_NOISE.
constexpr double VOLUME_EXPONENT = 0.84;
constexpr double VOLUME_NOISE = 0.2;
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

// Draws are made in batches that double up to MAX_DRAW_BATCH: small
// targets (tests) then do little wasted work past the stop, large ones
// spread the serial dedupe over few parallel phases.
constexpr i64 FIRST_DRAW_BATCH = 1024;
constexpr i64 MAX_DRAW_BATCH = 1 << 16;
// Give up if a batch of draws yields under 1% new texts: the word list is
// too small for the target, and drawing on would not end.
constexpr double MIN_FRESH_SHARE = 0.01;
// Output is formatted in blocks of about 4 MiB: large enough that write
// calls and task overheads vanish, small enough that the blocks in flight
// (BLOCKS_PER_THREAD_IN_FLIGHT a thread: tens of MB) bound memory and keep
// the cores evenly loaded.
constexpr i64 BLOCK_BYTES = 4 << 20;
constexpr i64 BLOCKS_PER_THREAD_IN_FLIGHT = 3;
// Compressed output is handed to the file 1 MiB at a time.
constexpr i64 GZIP_OUT_BYTES = 1 << 20;

// ---------------------------------------------------------------------------
// Deterministic randomness and math.

constexpr u64 GOLDEN = 0x9e3779b97f4a7c15;

u64 mix64(u64 z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/// SplitMix64: tiny state, so every n-gram can have its own generator.
class Rng {
 public:
  explicit Rng(u64 seed) : state_(seed) {}
  u64 next() { return mix64(state_ += GOLDEN); }
  /// Uniform in [0, 1).
  double unit() { return double(next() >> 11) * 0x1p-53; }
  /// Uniform in (0, 1): safe to take the log of.
  double open_unit() { return (double(next() >> 11) + 0.5) * 0x1p-53; }
  /// Uniform in [0, n) (multiply-shift; the bias is below 2^-40 here).
  i64 below(i64 n) { return i64(u128(next()) * u64(n) >> 64); }
  bool chance(double p) { return unit() < p; }

 private:
  u64 state_;
};

// Seeds of draw j's text and of its statistics, independent streams.
u64 text_seed(u64 seed, u64 j) { return mix64(mix64(seed) + j * GOLDEN); }
u64 data_seed(u64 seed, u64 j) { return mix64(mix64(~seed) + j * GOLDEN); }

constexpr double LN2 = 0.693147180559945309417;

/// Natural log of a positive, normal x from exact operations only.
inline double det_log(double x) {
  u64 bits = std::bit_cast<u64>(x);
  int e = int(bits >> 52) - 1023;
  double m = std::bit_cast<double>((bits & ((u64(1) << 52) - 1)) | (u64(1023) << 52));
  if (m > 1.41421356237309504880) {
    m *= 0.5;
    e++;
  }
  // ln m = 2 atanh(f) with |f| <= 0.172. The series to f^9 is within 4e-10
  // of the truth: far closer than noise and rounding need, and this runs
  // once or twice a line.
  double f = (m - 1) / (m + 1);
  double s = f * f;
  double p = 1 + s * (1.0 / 3 + s * (1.0 / 5 + s * (1.0 / 7 + s * (1.0 / 9))));
  return e * LN2 + 2 * f * p;
}

/// e^x for |x| < 700 from exact operations only.
double det_exp(double x) {
  x = std::clamp(x, -700.0, 700.0);
  double k = std::floor(x / LN2 + 0.5);
  double r = x - k * LN2;  // |r| <= 0.35: Taylor to r^14 suffices
  double p = 1;
  for (int i = 14; i >= 1; i--) p = 1 + p * r / i;
  return p * std::bit_cast<double>(u64(i64(k) + 1023) << 52);
}

int count_digits(u64 v) {
  // Most counts are small: test the short cases first.
  if (v < 10) return 1;
  if (v < 100) return 2;
  if (v < 1000) return 3;
  int n = 4;
  for (v /= 10000; v > 0; v /= 10) n++;
  return n;
}

// ---------------------------------------------------------------------------
// Words and n-gram texts.

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
Words load_words(const std::string& path, char lead) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    throw Error(
        fmt::format("cannot open word list '{}': {} (install Debian's with 'apt-get "
                    "install wamerican', or give another list, one word a line)",
                    path, errno_string()));
  std::string data;
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) data.append(buf, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) throw Error(fmt::format("cannot read word list '{}'", path));

  Words words;
  for (size_t pos = 0; pos < data.size();) {
    size_t end = data.find('\n', pos);
    if (end == std::string::npos) end = data.size();
    std::string_view w(data.data() + pos, end - pos);
    pos = end + 1;
    if (!w.empty() && w.back() == '\r') w.remove_suffix(1);
    if (w.empty() || w.size() > 40 || w.ends_with("'s")) continue;
    if (std::any_of(w.begin(), w.end(), [](char c) { return u8(c) <= ' ' || c == '_'; })) continue;
    words.all.emplace_back(w);
    words.pseudo.train(w);
    char c = w[0] | 0x20;
    if (!lead || c == lead) words.lead.emplace_back(w);
  }
  if (words.lead.empty())
    throw Error(lead ? fmt::format("word list '{}' has no word starting with '{}'", path, lead)
                     : fmt::format("word list '{}' has no words", path));
  return words;
}

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

void capitalize(std::string& s) {
  if (is_lower(s[0])) s[0] -= 32;
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

/// Draws one surface form (an n-gram without its tag). Every kind starts
/// with `lead` in some case when `lead` != 0, as every n-gram of the real
/// "a" file starts with a or A.
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

// Tag of a variant: an index in TAGS, or one of these.
constexpr i64 UNTAGGED = -1;
constexpr i64 EMPTY_TAG = -2;  // a bare "_"
constexpr i64 MAX_VARIANTS = 5;

/// The n-grams made from one distinct surface form: untagged and/or with
/// 1-3 different tags. Tags are chosen only after surfaces are made
/// distinct, so the tagged share does not drift as common surfaces run out.
struct Variants {
  std::array<i64, MAX_VARIANTS> tags;
  i64 count = 0;
};

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

// N-grams that always exist, with a fixed total, so examples and tests can
// rely on them (the real "Aardvark" has a total of the same order).
struct Anchor {
  i64 tag;
  double total;
};
constexpr std::string_view ANCHOR_SURFACE = "Aardvark";
constexpr i64 NOUN = 0;
static_assert(std::string_view(TAGS[NOUN].text) == "_NOUN");
constexpr std::array<Anchor, 2> ANCHORS = {{{UNTAGGED, 14'000}, {NOUN, 9'000}}};
// Draw number of the anchors, far from those of real draws.
constexpr u64 ANCHOR_DRAW = u64(1) << 58;

// ---------------------------------------------------------------------------
// Years and counts.

/// Per-year tables shared by every n-gram. For an n-gram with Y years, year
/// i is included with probability pi_Y(i) = min(1, lambda * books(i)), which
/// sums to Y; the years are then drawn by stratified sampling (one uniform
/// point in each of [k, k+1), k < Y, located in the cumulative pi_Y), and
/// each year's share of the total is books(i) / pi_Y(i) times noise, so the
/// expected count of a year is proportional to its books whatever Y is.
class YearModel {
 public:
  YearModel() {
    for (int i = 0, k = 0; i < NUM_YEARS; i++) {
      int year = FIRST_YEAR + i;
      while (BOOKS_PER_YEAR[k + 1].year < year) k++;
      const BooksKnot& a = BOOKS_PER_YEAR[k];
      const BooksKnot& b = BOOKS_PER_YEAR[k + 1];
      double x = double(year - a.year) / (b.year - a.year);
      double books = det_exp(det_log(a.books) + x * (det_log(b.books) - det_log(a.books)));
      max_volumes_[i] = std::max<i64>(1, i64(books));
      books_[i] = books / BOOKS_PER_YEAR.back().books;
      std::memcpy(year_text_[i].data(), fmt::format("{}", FIRST_YEAR + i).data(), 4);
    }
    std::array<double, NUM_YEARS + 1> below{};  // sum of books_[0..i)
    for (int i = 0; i < NUM_YEARS; i++) below[i + 1] = below[i] + books_[i];

    cumulative_.resize(i64(NUM_YEARS) * (NUM_YEARS + 1));
    share_.resize(i64(NUM_YEARS) * NUM_YEARS);
    strata_.resize(i64(NUM_YEARS) * STRATA_ROW);
    for (int y = 1; y <= NUM_YEARS; y++) {
      // Books grow with the year, so the capped years are the last `capped`.
      int capped = 0;
      double lambda = 0;
      for (; capped < y; capped++) {
        int rest = NUM_YEARS - capped;
        lambda = (y - capped) / below[rest];
        if (lambda * books_[rest - 1] <= 1) break;
      }
      if (capped == y) lambda = 0;
      double* cum = &cumulative_[i64(y - 1) * (NUM_YEARS + 1)];
      double* share = &share_[i64(y - 1) * NUM_YEARS];
      cum[0] = 0;
      for (int i = 0; i < NUM_YEARS; i++) {
        double pi = i >= NUM_YEARS - capped ? 1 : std::min(1.0, lambda * books_[i]);
        cum[i + 1] = cum[i] + pi;
        share[i] = pi > 0 ? books_[i] / pi : 0;
      }
      // strata[s] = the first year whose interval reaches past s / STEPS.
      u16* strata = &strata_[i64(y - 1) * STRATA_ROW];
      for (int k = 0, i = 0; k <= STEPS * y; k++) {
        while (i < NUM_YEARS - 1 && cum[i + 1] <= double(k) / STEPS) i++;
        strata[k] = i;
      }
    }
    for (int m = 0; m < SMALL_MATCHES; m++) small_powers_[m] = m ? det_exp(VOLUME_EXPONENT * det_log(m)) : 0;
    for (int e = 0; e < 64; e++) power_of_two_powers_[e] = det_exp(VOLUME_EXPONENT * e * LN2);
    for (int j = 0; j < (1 << MANTISSA_BITS); j++)
      mantissa_powers_[j] = det_exp(VOLUME_EXPONENT * det_log(1 + (j + 0.5) / (1 << MANTISSA_BITS)));
    for (int j = 0; j < (1 << NOISE_BITS); j++) exponential_[j] = -det_log(1 - (j + 0.5) / (1 << NOISE_BITS));
  }

  /// Calls emit(year_index, match_count, volume_count) for each line of the
  /// n-gram seeded with `seed` (`total` > 0 fixes its total), in year order.
  template <class Emit> void generate(u64 seed, double total, Emit&& emit) const {
    Rng rng(seed);
    double q = total > 0 ? MIN_TOTAL / total : std::max(MIN_QUANTILE, 1 - rng.unit());
    i64 matches = i64(MIN_TOTAL / q);

    i64 years;
    if (q > 0.5 && rng.chance(SPORADIC_SHARE)) {
      years = 1 + rng.below(SPORADIC_MAX_YEARS);
    } else {
      // Irwin-Hall: four uniforms make a good enough standard normal.
      double z = (rng.unit() + rng.unit() + rng.unit() + rng.unit() - 2) * 1.7320508075688772;
      double mean = YEARS_SCALE * det_exp(YEARS_SLOPE * det_log(1 / q) + YEARS_SIGMA * z);
      years = i64(mean + 0.5);
    }
    years = std::clamp<i64>(years, 1, std::min<i64>(NUM_YEARS, matches));

    const double* cum = &cumulative_[(years - 1) * (NUM_YEARS + 1)];
    const double* share = &share_[(years - 1) * NUM_YEARS];
    const u16* strata = &strata_[(years - 1) * STRATA_ROW];
    std::array<u16, NUM_YEARS> chosen;
    std::array<double, NUM_YEARS> weight;
    i64 n = 0;
    double sum = 0;
    std::array<u64, NUM_YEARS> dither;
    for (i64 k = 0; k < years; k++) {
      double t = k + unit(rng.next());
      // The year with cum[i] <= t < cum[i + 1]. It lies between the first
      // years reaching past t rounded down and up to a 1/STEPS: a short
      // walk, or a binary search over the centuries of rare early years.
      i64 s = i64(t * STEPS);
      i64 i = strata[s];
      i64 last = s < STEPS * years ? strata[s + 1] : NUM_YEARS - 1;
      if (last - i > MAX_WALK)
        i = std::upper_bound(cum + i + 1, cum + last + 1, t) - cum - 1;
      else
        while (i < last && cum[i + 1] <= t) i++;
      if (n > 0 && chosen[n - 1] >= i) continue;  // a wide year hit twice
      chosen[n] = i;
      // Gamma(2) noise, the sum of two exponentials: bursty years without
      // too many single matches. The rest of the bits dither the count.
      u64 r = rng.next();
      weight[n] = share[i] * (exponential_[r >> (64 - NOISE_BITS)] +
                              exponential_[(r >> (64 - 2 * NOISE_BITS)) & NOISE_MASK]);
      dither[n] = r << (2 * NOISE_BITS);
      sum += weight[n++];
    }

    double spread = double(matches - n) / sum;
    for (i64 k = 0; k < n; k++) {
      i64 match = 1 + i64(weight[k] * spread + unit(dither[k]));
      u64 r = rng.next();
      double noise = 1 + VOLUME_NOISE * (2 * unit(r) - 1);
      i64 volume = i64(volume_typical(match) * noise + unit(r << 32));
      volume = std::clamp<i64>(volume, 1, std::min(match, max_volumes_[chosen[k]]));
      emit(chosen[k], match, volume);
    }
  }

  std::string_view year_text(i64 i) const { return {year_text_[i].data(), 4}; }

 private:
  // Tables replace a log or two a line (a third of the run time): the noise
  // comes from a 4096-step exponential quantile table, and m^0.84 for large
  // m from 2^(0.84 e) times a 256-step table of the mantissa's power
  // (within 0.2%, far inside the volume noise).
  static constexpr int SMALL_MATCHES = 256;
  static constexpr int MANTISSA_BITS = 8;
  static constexpr int NOISE_BITS = 12;
  static constexpr u64 NOISE_MASK = (1 << NOISE_BITS) - 1;
  // Years are found by a walk from a jump table with STEPS entries per unit
  // of cumulative inclusion probability: a walk of a step or two for the
  // n-grams with many years, which carry most lines, where a binary search
  // cost a third of the generation time in mispredicted branches.
  static constexpr int STEPS = 4;
  static constexpr i64 MAX_WALK = 8;
  static constexpr i64 STRATA_ROW = STEPS * NUM_YEARS + 1;

  /// Uniform in [0, 1) from the top 53 bits.
  static double unit(u64 bits) { return double(bits >> 11) * 0x1p-53; }

  /// About match^VOLUME_EXPONENT.
  double volume_typical(i64 match) const {
    if (match < SMALL_MATCHES) return small_powers_[match];
    int e = 63 - std::countl_zero(u64(match));
    u64 mantissa = (u64(match) << (63 - e)) << 1;  // the bits below the top one
    return power_of_two_powers_[e] * mantissa_powers_[mantissa >> (64 - MANTISSA_BITS)];
  }

  std::array<double, NUM_YEARS> books_;  // relative books per year, 1 in 2008
  std::array<i64, NUM_YEARS> max_volumes_;
  std::array<std::array<char, 4>, NUM_YEARS> year_text_;
  std::vector<double> cumulative_;                  // [Y - 1][i]: sum of pi_Y over years < i
  std::vector<double> share_;                       // [Y - 1][i]: books(i) / pi_Y(i)
  std::vector<u16> strata_;                         // [Y - 1][s]: first year past s / STEPS
  std::array<double, SMALL_MATCHES> small_powers_;  // m^VOLUME_EXPONENT
  std::array<double, 64> power_of_two_powers_;      // (2^e)^VOLUME_EXPONENT
  std::array<double, 1 << MANTISSA_BITS> mantissa_powers_;
  std::array<double, 1 << NOISE_BITS> exponential_;  // quantiles of Exp(1)
};

// ---------------------------------------------------------------------------
// Vocabulary.

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

struct Vocabulary {
  std::string arena;
  std::vector<Ngram> ngrams;

  std::string_view text(const Ngram& g) const { return {arena.data() + g.offset, g.len}; }
  double total(const Ngram& g) const { return g.anchor ? ANCHORS[g.anchor - 1].total : 0; }
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
          if (rng.chance(0.3)) draws[j].surface += tag_text(pick_weighted(rng, TAGS));
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

// ---------------------------------------------------------------------------
// Output.

/// gzip compression into an OutputFile: one gzip member, level 1, with
/// ISA-L if available (several times faster) or else zlib.
class GzipWriter {
 public:
  explicit GzipWriter(OutputFile& out) : out_(out), buf_(GZIP_OUT_BYTES) {
#ifdef NGFREQ_HAVE_ISAL
    isal_deflate_init(&zs_);
    level_buf_.resize(ISAL_DEF_LVL1_DEFAULT);
    zs_.level = 1;
    zs_.level_buf = level_buf_.data();
    zs_.level_buf_size = level_buf_.size();
    zs_.gzip_flag = IGZIP_GZIP;
#else
    if (deflateInit2(&zs_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error(fmt::format("{}: cannot start gzip compression", out_.path()));
#endif
  }
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  ~GzipWriter() {
#ifndef NGFREQ_HAVE_ISAL
    deflateEnd(&zs_);
#endif
  }

  void write(std::string_view data) {
    while (!data.empty()) {
      size_t n = std::min<size_t>(data.size(), 1 << 30);
      compress(data.substr(0, n), false);
      data.remove_prefix(n);
    }
  }

  void finish() { compress({}, true); }

 private:
  void compress(std::string_view data, bool last) {
    zs_.next_in = (u8*)data.data();
    zs_.avail_in = data.size();
#ifdef NGFREQ_HAVE_ISAL
    zs_.end_of_stream = last;
    do {
      zs_.next_out = buf_.data();
      zs_.avail_out = buf_.size();
      if (isal_deflate(&zs_) != COMP_OK) throw Error(fmt::format("{}: gzip compression failed", out_.path()));
      flush_output();
    } while (zs_.avail_in > 0 || (last && zs_.internal_state.state != ZSTATE_END));
#else
    int rc;
    do {
      zs_.next_out = buf_.data();
      zs_.avail_out = buf_.size();
      rc = deflate(&zs_, last ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) throw Error(fmt::format("{}: gzip compression failed", out_.path()));
      flush_output();
    } while (zs_.avail_in > 0 || zs_.avail_out == 0 || (last && rc != Z_STREAM_END));
#endif
  }

  void flush_output() {
    size_t n = buf_.size() - zs_.avail_out;
    if (n) out_.write({(const char*)buf_.data(), n});
  }

  OutputFile& out_;
  std::vector<u8> buf_;
#ifdef NGFREQ_HAVE_ISAL
  isal_zstream zs_;
  std::vector<u8> level_buf_;
#else
  z_stream zs_{};
#endif
};

/// A run of consecutive sorted n-grams formatted as one buffer.
struct Block {
  i64 begin;
  i64 end;
  i64 bytes;
};

std::vector<Block> plan_blocks(const Vocabulary& vocab) {
  std::vector<Block> blocks;
  Block b{0, 0, 0};
  for (const Ngram& g : vocab.ngrams) {
    b.bytes += g.bytes;
    b.end++;
    if (b.bytes >= BLOCK_BYTES) {
      blocks.push_back(b);
      b = {b.end, b.end, 0};
    }
  }
  if (b.end > b.begin) blocks.push_back(b);
  return blocks;
}

// v2: a line a year. v3: a line an n-gram, never longer than its v2 lines.
void format_block(const YearModel& model, const Vocabulary& vocab, const Block& block, GenerateFormat format,
                  std::string& buf) {
  buf.resize(block.bytes);
  char* p = buf.data();
  char* end = buf.data() + buf.size();
  for (i64 i = block.begin; i < block.end; i++) {
    const Ngram& g = vocab.ngrams[i];
    std::string_view text = vocab.text(g);
    if (end - p < g.bytes) throw Error("generate: internal error: n-gram size changed");
    if (format == GenerateFormat::v3) {
      std::memcpy(p, text.data(), text.size());
      p += text.size();
    }
    model.generate(g.seed, vocab.total(g), [&](i64 year, i64 match, i64 volume) {
      char sep = format == GenerateFormat::v3 ? ',' : '\t';
      if (format == GenerateFormat::v2) {
        std::memcpy(p, text.data(), text.size());
        p += text.size();
      }
      *p++ = '\t';
      std::memcpy(p, model.year_text(year).data(), 4);
      p += 4;
      *p++ = sep;
      p = std::to_chars(p, end, match).ptr;
      *p++ = sep;
      p = std::to_chars(p, end, volume).ptr;
      if (format == GenerateFormat::v2) *p++ = '\n';
    });
    if (format == GenerateFormat::v3) *p++ = '\n';
  }
  if (format == GenerateFormat::v2 && p != end) throw Error("generate: internal error: block size changed");
  buf.resize(p - buf.data());
}

/// Formats blocks 0..count-1 in parallel (format(b, buf)) and writes them
/// in order. At most a few blocks a thread are in flight; block b uses
/// buffer b % in_flight, free again because blocks leave in order.
/// Returns the bytes written (before gzip).
template <class FormatBlock> i64 write_blocks(const GenerateOptions& opts, i64 count, FormatBlock format) {
  i64 in_flight = BLOCKS_PER_THREAD_IN_FLIGHT * tbb::this_task_arena::max_concurrency();
  std::vector<std::string> buffers(in_flight);

  OutputFile out(opts.output_path);
  std::unique_ptr<GzipWriter> gzip;
  if (opts.gzip) gzip = std::make_unique<GzipWriter>(out);

  i64 next = 0, bytes = 0;
  tbb::parallel_pipeline(
      in_flight,
      tbb::make_filter<void, i64>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> i64 {
        if (next == count) fc.stop();
        return next++;
      }) & tbb::make_filter<i64, i64>(tbb::filter_mode::parallel, [&](i64 b) {
        if (b < count) format(b, buffers[b % in_flight]);
        return b;
      }) & tbb::make_filter<i64, void>(tbb::filter_mode::serial_in_order, [&](i64 b) {
        if (b >= count) return;
        const std::string& buf = buffers[b % in_flight];
        bytes += buf.size();
        if (gzip)
          gzip->write(buf);
        else
          out.write(buf);
      }));
  if (gzip) gzip->finish();
  out.commit();
  return bytes;
}

GenerateSummary write_corpus(const YearModel& model, const Vocabulary& vocab, const GenerateOptions& opts) {
  std::vector<Block> blocks = plan_blocks(vocab);
  GenerateSummary summary;
  summary.bytes = write_blocks(opts, blocks.size(), [&](i64 b, std::string& buf) {
    format_block(model, vocab, blocks[b], opts.format, buf);
  });
  for (const Ngram& g : vocab.ngrams) summary.lines += opts.format == GenerateFormat::v3 ? 1 : g.lines;
  summary.ngrams = vocab.ngrams.size();
  return summary;
}

// ---------------------------------------------------------------------------
// Text: sentences of words drawn from a Zipf law over surface forms.
//
// Real text keeps meeting new words: its vocabulary grows as Heaps' law
// V = K n^beta (n words; beta 0.4 to 0.7 for English). A fixed pool would
// stop growing once its tail is drawn, so the pool is sized from the words
// the text will hold: K = 25, beta = 0.6 give about 40 K forms for 2 MB
// and 1 M for 300 MB, of which the Zipf draw meets most.

constexpr double HEAPS_K = 25;
constexpr double HEAPS_BETA = 0.6;
constexpr i64 TEXT_BYTES_A_WORD = 8;  // measured: 8.2 with spaces and punctuation
constexpr i64 MIN_TEXT_POOL = 1000;
constexpr i64 TEXT_BLOCK_BYTES = 1 << 20;      // a block's text, about
constexpr u64 TEXT_SALT = 0x7465787400000000;  // "text": other seeds than the corpus's

i64 text_pool_size(i64 target_bytes) {
  double words = double(std::max<i64>(1, target_bytes / TEXT_BYTES_A_WORD));
  return std::max(MIN_TEXT_POOL, i64(HEAPS_K * std::pow(words, HEAPS_BETA)));
}

GenerateSummary write_text(const Words& words, const GenerateOptions& opts, i64 target) {
  const i64 pool_size = text_pool_size(target);
  std::vector<std::string> pool(pool_size);
  std::vector<double> cumulative(pool_size);
  Rng pool_rng(text_seed(opts.seed ^ TEXT_SALT, 0));
  double sum = 0;
  for (i64 i = 0; i < pool_size; i++) {
    pool[i] = make_surface(pool_rng, words, 0);
    for (char& c : pool[i])
      if (c == ' ' || c == '\t') c = '-';  // one word each
    cumulative[i] = sum += 1.0 / double(i + 1);
  }
  i64 count = std::max<i64>(1, (target + TEXT_BLOCK_BYTES - 1) / TEXT_BLOCK_BYTES);
  std::vector<i64> block_words(count), block_lines(count);
  GenerateSummary summary;
  summary.bytes = write_blocks(opts, count, [&](i64 b, std::string& buf) {
    Rng rng(text_seed(opts.seed ^ TEXT_SALT, u64(b) + 1));
    i64 size = std::min(TEXT_BLOCK_BYTES, target - b * TEXT_BLOCK_BYTES);
    buf.clear();
    std::string word;
    while (i64(buf.size()) < size) {
      i64 n = 5 + rng.below(16);
      for (i64 k = 0; k < n; k++) {
        double u = rng.unit() * sum;
        i64 rank = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
        word = pool[std::min(rank, pool_size - 1)];
        if (k == 0) capitalize(word);
        if (k > 0) buf += ' ';
        buf += word;
        if (k + 1 < n && rng.chance(0.06)) buf += ',';
      }
      double r = rng.unit();
      if (r < 0.8)
        buf += '.';
      else if (r < 0.9)
        buf += '?';
      else if (r < 0.95)
        buf += '!';
      buf += '\n';
      block_words[b] += n;
      block_lines[b]++;
    }
  });
  for (i64 b = 0; b < count; b++) {
    summary.words += block_words[b];
    summary.lines += block_lines[b];
  }
  return summary;
}

}  // namespace

GenerateSummary generate_corpus(const GenerateOptions& opts) {
  if (!opts.profile.empty() && opts.profile != "a")
    throw UsageError(fmt::format("unknown profile '{}' (known: a)", opts.profile));
  if (opts.output_path.empty()) throw UsageError("generate: no output path");
  if (opts.target_bytes < 0) throw UsageError("generate: target size must not be negative");
  char lead = opts.profile == "a" ? 'a' : 0;
  i64 target = opts.target_bytes ? opts.target_bytes : lead ? A_PROFILE_BYTES : DEFAULT_BYTES;
  std::string word_list = opts.word_list.empty() ? DEFAULT_WORD_LIST : opts.word_list;

  if (opts.n < 1 || opts.n > 5) throw UsageError("generate: --n must be 1 to 5");
  if (opts.format == GenerateFormat::text && opts.n != 1)
    throw UsageError(
        "generate: --n applies to v2 and v3, not to text (count its n-grams with count --ngram)");
  if (lead && (opts.n != 1 || opts.format != GenerateFormat::v2))
    throw UsageError("generate: --profile a mimics a v2 1-gram file: it takes neither --n nor --format");

  Words words = load_words(word_list, lead);
  if (opts.format == GenerateFormat::text) return write_text(words, opts, target);
  YearModel model;
  Vocabulary vocab = choose_vocabulary(words, model, opts.seed, lead, target, word_list, opts.n);
  sort_vocabulary(vocab);
  return write_corpus(model, vocab, opts);
}

}  // namespace ngfreq
