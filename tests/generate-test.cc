// Tests of the corpus generator: every property is checked on generated
// files, parsed here independently of ngfreq's own parser.
#include "ngfreq/generate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;
using testing::HasSubstr;

namespace {

// Small targets keep each generation to tens of milliseconds.
constexpr i64 SMALL = 2'000'000;

GenerateOptions options(const std::filesystem::path& path, i64 target, u64 seed) {
  GenerateOptions opts;
  opts.output_path = path.string();
  opts.target_bytes = target;
  opts.seed = seed;
  return opts;
}

GenerateSummary generate(const std::filesystem::path& path, i64 target, u64 seed = 1,
                         const std::string& profile = "", bool gzip = false) {
  GenerateOptions opts = options(path, target, seed);
  opts.profile = profile;
  opts.gzip = gzip;
  return generate_corpus(opts);
}

struct NgramStats {
  std::string ngram;
  i64 lines = 0;
  i64 total = 0;
};

// Splits the corpus into n-grams, checking every line on the way: four
// fields, a year in 1500-2008 rising within the n-gram, 1 <= volume <=
// match, and each n-gram's lines together and in byte order. Stops at the
// first bad line.
std::vector<NgramStats> parse_corpus(const std::string& text) {
  std::vector<NgramStats> out;
  i64 prev_year = 0;
  i64 line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    line_no++;
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      ADD_FAILURE() << "line " << line_no << " has no newline";
      return out;
    }
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    std::vector<std::string_view> f;
    for (size_t a = 0;;) {
      size_t b = line.find('\t', a);
      f.push_back(line.substr(a, b == std::string_view::npos ? b : b - a));
      if (b == std::string_view::npos) break;
      a = b + 1;
    }
    if (f.size() != 4 || f[0].empty()) {
      ADD_FAILURE() << "line " << line_no << ": expected 4 fields: " << line;
      return out;
    }
    i64 v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
      std::string_view s = f[i + 1];
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v[i]);
      if (ec != std::errc() || p != s.data() + s.size() || s.empty() || s[0] == '0') {
        ADD_FAILURE() << "line " << line_no << ": bad number: " << line;
        return out;
      }
    }
    auto [year, match, volume] = v;
    if (year < 1500 || year > 2008 || volume < 1 || volume > match) {
      ADD_FAILURE() << "line " << line_no << ": bad values: " << line;
      return out;
    }
    if (out.empty() || out.back().ngram != f[0]) {
      if (!out.empty() && !(out.back().ngram < f[0])) {
        ADD_FAILURE() << "line " << line_no << ": n-gram out of order: " << f[0] << " after "
                      << out.back().ngram;
        return out;
      }
      out.push_back({std::string(f[0])});
    } else if (year <= prev_year) {
      ADD_FAILURE() << "line " << line_no << ": year does not rise: " << line;
      return out;
    }
    prev_year = year;
    out.back().lines++;
    out.back().total += match;
  }
  return out;
}

bool has_tag(std::string_view ngram) {
  static const char* tags[] = {"_NOUN", "_VERB", "_ADJ",  "_ADV", "_PRON", "_DET",
                               "_ADP",  "_NUM",  "_CONJ", "_PRT", "_X",    "_."};
  return std::any_of(std::begin(tags), std::end(tags), [&](const char* t) { return ngram.ends_with(t); });
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    u8 c = s[i];
    int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (n < 0 || i + n >= s.size()) return false;
    for (int k = 1; k <= n; k++)
      if ((u8(s[i + k]) & 0xc0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

// Inflates one gzip member; fails if anything follows it.
std::string gunzip_one_member(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = data.size();
  std::string out;
  char buf[1 << 16];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END);
  EXPECT_EQ(zs.avail_in, 0u) << "data after the first gzip member";
  inflateEnd(&zs);
  return out;
}

}  // namespace

TEST(Generate, SameSeedGivesSameBytes) {
  TempDir dir;
  GenerateSummary a = generate(dir / "a.tsv", SMALL, 7);
  GenerateSummary b = generate(dir / "b.tsv", SMALL, 7);
  std::string text = read_file(dir / "a.tsv");
  EXPECT_FALSE(text.empty());
  EXPECT_TRUE(text == read_file(dir / "b.tsv"));
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.ngrams, b.ngrams);
}

TEST(Generate, DifferentSeedGivesDifferentBytes) {
  TempDir dir;
  generate(dir / "a.tsv", SMALL, 7);
  generate(dir / "b.tsv", SMALL, 8);
  EXPECT_FALSE(read_file(dir / "a.tsv") == read_file(dir / "b.tsv"));
}

TEST(Generate, ThreadCountDoesNotChangeBytes) {
  TempDir dir;
  for (int threads : {1, 2, 4}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    generate(dir / ("t" + std::to_string(threads) + ".tsv"), 3 * SMALL, 3, "a");
  }
  std::string one = read_file(dir / "t1.tsv");
  EXPECT_TRUE(one == read_file(dir / "t2.tsv"));
  EXPECT_TRUE(one == read_file(dir / "t4.tsv"));
}

TEST(Generate, LinesFollowTheV2Format) {
  TempDir dir;
  GenerateSummary summary = generate(dir / "c.tsv", SMALL, 11);
  std::string text = read_file(dir / "c.tsv");
  std::vector<NgramStats> ngrams = parse_corpus(text);
  i64 lines = 0;
  for (const NgramStats& g : ngrams) {
    lines += g.lines;
    EXPECT_TRUE(valid_utf8(g.ngram)) << g.ngram;
    EXPECT_EQ(g.ngram.find(' '), std::string::npos) << g.ngram;
  }
  EXPECT_EQ(summary.bytes, i64(text.size()));
  EXPECT_EQ(summary.lines, lines);
  EXPECT_EQ(summary.ngrams, i64(ngrams.size()));
}

TEST(Generate, ProfileAStartsEveryNgramWithAAndHasAardvark) {
  TempDir dir;
  generate(dir / "a.tsv", SMALL, 5, "a");
  std::vector<NgramStats> ngrams = parse_corpus(read_file(dir / "a.tsv"));
  ASSERT_GT(ngrams.size(), 1000u);
  i64 aardvarks = 0;
  for (const NgramStats& g : ngrams) {
    EXPECT_TRUE(g.ngram[0] == 'a' || g.ngram[0] == 'A') << g.ngram;
    if (g.ngram == "Aardvark" || g.ngram == "Aardvark_NOUN") {
      aardvarks++;
      EXPECT_GE(g.total, 100) << g.ngram;
      EXPECT_LE(g.total, 100'000) << g.ngram;
    }
  }
  EXPECT_EQ(aardvarks, 2);
}

TEST(Generate, NoProfileUsesEveryLetter) {
  TempDir dir;
  generate(dir / "all.tsv", SMALL, 2);
  std::set<char> first;
  for (const NgramStats& g : parse_corpus(read_file(dir / "all.tsv"))) first.insert(g.ngram[0] | 0x20);
  EXPECT_GE(first.size(), 20u);
}

TEST(Generate, TagShareOfLinesIsBetween30And50Percent) {
  TempDir dir;
  for (const char* profile : {"", "a"}) {
    generate(dir / "t.tsv", SMALL, 9, profile);
    i64 lines = 0, tagged = 0;
    for (const NgramStats& g : parse_corpus(read_file(dir / "t.tsv"))) {
      lines += g.lines;
      if (has_tag(g.ngram)) tagged += g.lines;
    }
    double share = double(tagged) / lines;
    EXPECT_GE(share, 0.30) << "profile '" << profile << "'";
    EXPECT_LE(share, 0.50) << "profile '" << profile << "'";
  }
}

TEST(Generate, VocabularyHasCaseVariantsUtf8PunctuationAndJunk) {
  TempDir dir;
  generate(dir / "v.tsv", 4 * SMALL, 4, "a");
  i64 lower = 0, capitalised = 0, upper = 0, utf8 = 0, hyphen = 0, digit = 0, dot = 0, quote = 0;
  for (const NgramStats& g : parse_corpus(read_file(dir / "v.tsv"))) {
    std::string_view s = g.ngram;
    bool all_upper = std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    lower += s[0] == 'a';
    capitalised += s.size() > 1 && s[0] == 'A' && s[1] >= 'a' && s[1] <= 'z';
    upper += s.size() > 2 && all_upper;
    utf8 += std::any_of(s.begin(), s.end(), [](char c) { return u8(c) >= 0x80; });
    hyphen += s.find('-') != std::string_view::npos;
    digit += std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    dot += s.find('.') != std::string_view::npos && !s.ends_with("_.");
    quote += s.find('\'') != std::string_view::npos;
  }
  for (i64 count : {lower, capitalised, upper, utf8, hyphen, digit, dot, quote}) EXPECT_GE(count, 20);
}

TEST(Generate, OutputSizeIsWithinOnePercentOfTarget) {
  TempDir dir;
  for (i64 target : {i64(500'000), SMALL, 3 * SMALL}) {
    GenerateSummary s = generate(dir / "s.tsv", target, 1, "a");
    i64 size = std::filesystem::file_size(dir / "s.tsv");
    EXPECT_EQ(s.bytes, size);
    EXPECT_NEAR(double(size), double(target), 0.01 * target);
    // Realistic line shape: real v2 averages ~20.8 bytes and ~51 lines an
    // n-gram.
    EXPECT_NEAR(double(s.bytes) / s.lines, 20.8, 2.0);
    EXPECT_NEAR(double(s.lines) / s.ngrams, 51, 10);
  }
}

TEST(Generate, TotalsFollowZipfAndFrequentNgramsSpanMoreYears) {
  TempDir dir;
  generate(dir / "z.tsv", 4 * SMALL, 6);
  std::vector<NgramStats> g = parse_corpus(read_file(dir / "z.tsv"));
  ASSERT_GT(g.size(), 5000u);
  std::sort(g.begin(), g.end(), [](const NgramStats& a, const NgramStats& b) { return a.total > b.total; });

  // Least-squares slope of log(total) against log(rank), away from both ends.
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  i64 n = 0;
  for (size_t r = 10; r < g.size() / 10; r++) {
    double x = std::log(double(r + 1)), y = std::log(double(g[r].total));
    sx += x, sy += y, sxx += x * x, sxy += x * y, n++;
  }
  double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  EXPECT_NEAR(slope, -1.0, 0.3);

  // Years: the top 1% cover hundreds of years, rare n-grams few.
  i64 top_max = 0, few_years = 0;
  for (size_t r = 0; r < g.size() / 100; r++) top_max = std::max(top_max, g[r].lines);
  for (const NgramStats& x : g) few_years += x.lines <= 5;
  EXPECT_GE(top_max, 300);
  EXPECT_GT(few_years, 0);
  EXPECT_GT(g[g.size() / 100].lines, g[g.size() / 2].lines);
}

TEST(Generate, GzipOutputInflatesToPlainOutput) {
  TempDir dir;
  GenerateSummary plain = generate(dir / "p.tsv", SMALL, 12, "a");
  GenerateSummary gz = generate(dir / "p.tsv.gz", SMALL, 12, "a", true);
  std::string compressed = read_file(dir / "p.tsv.gz");
  ASSERT_GT(compressed.size(), 2u);
  EXPECT_EQ(u8(compressed[0]), 0x1f);
  EXPECT_EQ(u8(compressed[1]), 0x8b);
  EXPECT_LT(compressed.size(), read_file(dir / "p.tsv").size() / 2);
  EXPECT_TRUE(gunzip_one_member(compressed) == read_file(dir / "p.tsv"));
  EXPECT_EQ(plain.bytes, gz.bytes);
  EXPECT_EQ(plain.lines, gz.lines);
}

TEST(Generate, MissingWordListNamesPathAndPackage) {
  TempDir dir;
  GenerateOptions opts;
  opts.output_path = (dir / "x.tsv").string();
  opts.word_list = (dir / "no-such-words").string();
  try {
    generate_corpus(opts);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no-such-words"));
    EXPECT_THAT(e.what(), HasSubstr("apt-get install wamerican"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.tsv"));
}

TEST(Generate, UnknownProfileIsAUsageError) {
  TempDir dir;
  GenerateOptions opts;
  opts.output_path = (dir / "x.tsv").string();
  opts.profile = "b";
  try {
    generate_corpus(opts);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown profile 'b'"));
  }
}

namespace {

GenerateSummary generate_as(const std::filesystem::path& path, GenerateFormat format, int n, i64 target,
                            u64 seed) {
  GenerateOptions opts = options(path, target, seed);
  opts.format = format;
  opts.n = n;
  return generate_corpus(opts);
}

// A v3 file read back as the v2 lines it stands for, by a parser of the test's own.
std::string v3_as_v2(const std::string& v3) {
  std::string out;
  std::istringstream in(v3);
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    std::string ngram = line.substr(0, tab);
    while (tab != std::string::npos) {
      size_t next = line.find('\t', tab + 1);
      std::string triple =
          line.substr(tab + 1, next == std::string::npos ? std::string::npos : next - tab - 1);
      std::replace(triple.begin(), triple.end(), ',', '\t');
      out += ngram + "\t" + triple + "\n";
      tab = next;
    }
  }
  return out;
}

}  // namespace

TEST(GenerateFormats, V3HoldsTheV2CorpusOfTheSameSeedAndSizeALineAnNgram) {
  TempDir dir;
  for (int n : {1, 3}) {
    GenerateSummary v2 = generate_as(dir / "c.v2", GenerateFormat::v2, n, SMALL, 21);
    GenerateSummary v3 = generate_as(dir / "c.v3", GenerateFormat::v3, n, SMALL, 21);
    std::string v3_text = read_file(dir / "c.v3");
    EXPECT_EQ(v3_as_v2(v3_text), read_file(dir / "c.v2")) << n;
    EXPECT_EQ(v3.lines, v2.ngrams);
    EXPECT_EQ(v3.bytes, i64(v3_text.size()));
    EXPECT_LT(v3.bytes, v2.bytes);
  }
}

TEST(GenerateFormats, NgramsHaveNTokensAndStaySorted) {
  TempDir dir;
  for (int n : {2, 5}) {
    generate_as(dir / "n.tsv", GenerateFormat::v2, n, SMALL, 4);
    std::istringstream in(read_file(dir / "n.tsv"));
    std::string line, previous;
    i64 lines = 0;
    while (std::getline(in, line)) {
      std::string ngram = line.substr(0, line.find('\t'));
      EXPECT_EQ(std::count(ngram.begin(), ngram.end(), ' '), n - 1) << ngram;
      EXPECT_LE(previous, line);
      previous = line;
      lines++;
    }
    EXPECT_GT(lines, 1000);
  }
}

TEST(GenerateFormats, TextIsWordsWithoutTabsNearTheSizeAndDeterministic) {
  TempDir dir;
  GenerateSummary s = generate_as(dir / "a.txt", GenerateFormat::text, 1, 3 * SMALL, 5);
  generate_as(dir / "b.txt", GenerateFormat::text, 1, 3 * SMALL, 5);
  std::string text = read_file(dir / "a.txt");
  EXPECT_EQ(text, read_file(dir / "b.txt"));
  EXPECT_EQ(i64(text.size()), s.bytes);
  EXPECT_NEAR(double(s.bytes), 3.0 * SMALL, 0.01 * SMALL);
  EXPECT_EQ(text.find('\t'), std::string::npos);
  std::istringstream words(text);
  std::string w;
  i64 count = 0;
  while (words >> w) count++;
  EXPECT_EQ(count, s.words);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), s.lines);
}

// Heaps' law: eight times the text holds several times the distinct words
// (8^0.6 = 3.5 for the pool; the Zipf tail is met more fully in the larger
// text), not the same fixed vocabulary.
TEST(GenerateFormats, TextVocabularyGrowsWithItsSize) {
  TempDir dir;
  auto distinct_words = [&](i64 size) {
    generate_as(dir / "t.txt", GenerateFormat::text, 1, size, 3);
    std::istringstream in(read_file(dir / "t.txt"));
    std::set<std::string> seen;
    std::string w;
    while (in >> w) {
      while (!w.empty() && std::string_view(",.?!").find(w.back()) != std::string_view::npos) w.pop_back();
      seen.insert(w);
    }
    return double(seen.size());
  };
  double small = distinct_words(SMALL / 2), large = distinct_words(4 * SMALL);
  EXPECT_GT(small, 15000);
  EXPECT_GT(large / small, 3.0);
  EXPECT_LT(large / small, 8.0);
}

TEST(GenerateFormats, TextTakesNoNAndTheProfileNoFormat) {
  TempDir dir;
  EXPECT_THROW(generate_as(dir / "x", GenerateFormat::text, 2, SMALL, 1), UsageError);
  GenerateOptions opts;
  opts.output_path = (dir / "y").string();
  opts.profile = "a";
  opts.format = GenerateFormat::v3;
  EXPECT_THROW(generate_corpus(opts), UsageError);
}
