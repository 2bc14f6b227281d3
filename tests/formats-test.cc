// The v1, v3 and text parsers and format detection. Expected totals are
// worked out by hand from the few lines of each test.
#include "ngfreq/formats.h"

#include <gtest/gtest.h>

#include "ngfreq/key-sink.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

Reference count(Format format, std::string_view text, const MapOptions& opts = {}) {
  FreqTable t;
  MapOutcome m = map_text(format, text, opts, t);
  if (m.error) throw std::runtime_error("unexpected error: " + m.error->reason);
  return table_contents(t);
}

// The reason and 0-based line of the first error, or "" when none.
std::pair<std::string, i64> first_error(Format format, std::string_view text) {
  FreqTable t;
  MapOutcome m = map_text(format, text, MapOptions{}, t);
  if (!m.error) return {"", -1};
  return {m.error->reason, m.error->line_index};
}

MapOptions words(Tokenizer tokenizer, int ngram = 1) {
  MapOptions o;
  o.tokenizer = tokenizer;
  o.ngram = ngram;
  return o;
}

// Word counts of a text parse (count only; text has no volumes).
std::map<std::string, u64> word_counts(std::string_view text, const MapOptions& opts) {
  std::map<std::string, u64> out;
  for (auto& [k, v] : count(Format::text, text, opts)) out[k] = v.count;
  return out;
}

}  // namespace

TEST(V3Parser, SumsEveryTripleOfALine) {
  EXPECT_EQ(count(Format::v3, "kill switch\t1990,3,1\t2000,5,2\nfoo\t1800,1,1\nkill switch\t2001,10,4\n"),
            (Reference{{"kill switch", {18, 7}}, {"foo", {1, 1}}}));
}

TEST(V3Parser, YearFilterAppliesToEachTriple) {
  MapOptions o;
  o.years = {1995, 2000};
  EXPECT_EQ(count(Format::v3, "a\t1990,3,1\t1995,5,2\t2000,7,3\t2001,11,4\nb\t1800,1,1\n", o),
            (Reference{{"a", {12, 5}}}));
}

TEST(V3Parser, ByYearKeepsEachTripleApart) {
  MapOptions o;
  o.keys.by_year = true;
  FreqTable t;
  map_v3("a\t1990,3,1\t2000,5,2\nb\t2000,1,1\na\t2000,4,4\n", o, t);
  std::map<std::pair<std::string, i64>, u64> got;
  for (auto& [key, totals] : table_contents(t)) {
    auto [ngram, year] = split_year_key(key);
    got[{std::string(ngram), year}] = totals.count;
  }
  EXPECT_EQ(got, (std::map<std::pair<std::string, i64>, u64>{
                     {{"a", 1990}, 3}, {{"a", 2000}, 9}, {{"b", 2000}, 1}}));
}

TEST(V3Parser, CrLfAndAMissingFinalNewlineAreAccepted) {
  EXPECT_EQ(count(Format::v3, "a\t1990,3,1\r\nb\t2000,1,1"), (Reference{{"a", {3, 1}}, {"b", {1, 1}}}));
}

TEST(V3Parser, MalformedTriplesNameTheTripleAndTheLine) {
  EXPECT_EQ(first_error(Format::v3, "a\t1990,3,1\nb\t1990,3\n"),
            std::make_pair(std::string("triple 1 '1990,3': expected year,match_count,volume_count"), i64(1)));
  EXPECT_EQ(first_error(Format::v3, "a\t1990,3,1\t1991,x,1\n").first,
            "triple 2 '1991,x,1': match_count is not a non-negative integer");
  EXPECT_EQ(first_error(Format::v3, "a\t12000,3,1\n").first,
            "triple 1 '12000,3,1': year is out of range 0-9999");
  EXPECT_EQ(first_error(Format::v3, "a\t1990,3,1\t\n").first, "triple 2 '': empty");
  EXPECT_EQ(first_error(Format::v3, "a\t1990,18446744073709551616,1\n").first,
            "triple 1 '1990,18446744073709551616,1': match_count does not fit in 64 bits");
  EXPECT_EQ(first_error(Format::v3, "\t1990,3,1\n").first, "empty n-gram");
  EXPECT_EQ(first_error(Format::v3, "lonely\n").second, 0);
}

TEST(V3Parser, SkipLeavesOutTheWholeLineOfABadTriple) {
  MapOptions o;
  o.on_error = OnError::skip;
  FreqTable t;
  MapOutcome m = map_v3("a\t1990,3,1\t1991,5,x\nb\t2000,1,1\n", o, t);
  EXPECT_FALSE(m.error);
  EXPECT_EQ(m.lines, 2);
  EXPECT_EQ(table_contents(t), (Reference{{"b", {1, 1}}}));
}

TEST(V3Parser, OverflowingTotalIsFlagged) {
  FreqTable t;
  map_v3("a\t1990,18446744073709551000,1\t1991,1000,1\n", MapOptions{}, t);
  EXPECT_TRUE(t.overflowed());
}

TEST(V1Parser, SumsMatchAndVolumeCountsAndIgnoresPages) {
  EXPECT_EQ(count(Format::v1, "doctor\t2007\t545525\t366136\t57313\ndoctor\t2008\t668666\t446034\t72694\n"),
            (Reference{{"doctor", {1214191, 130007}}}));
}

TEST(V1Parser, FourFieldsAreAnError) {
  EXPECT_NE(first_error(Format::v1, "a\t2000\t1\t1\n").first, "");
  EXPECT_EQ(first_error(Format::v1, "a\t2000\t1\tx\t1\n").first,
            "page_count 'x' is not a non-negative integer");
}

TEST(TextParser, WhitespaceSplitsLikePythonBytesSplit) {
  // Python: b"a\tb\x0bc\x0cd  e\r\n".split() == [b"a", b"b", b"c", b"d", b"e"]; NBSP does not split.
  EXPECT_EQ(word_counts("a\tb\vc\fd  e\r\n a\xc2\xa0"
                        "b\n\n",
                        words(Tokenizer::whitespace)),
            (std::map<std::string, u64>{{"a", 1},
                                        {"b", 1},
                                        {"c", 1},
                                        {"d", 1},
                                        {"e", 1},
                                        {"a\xc2\xa0"
                                         "b",
                                         1}}));
}

TEST(TextParser, InvalidUtf8IsCountedAsBytes) {
  EXPECT_EQ(word_counts("x\xff x\xff\n", words(Tokenizer::whitespace)),
            (std::map<std::string, u64>{{"x\xff", 2}}));
  EXPECT_EQ(word_counts("x\xff, y\n", words(Tokenizer::word)),
            (std::map<std::string, u64>{{"x\xff", 1}, {"y", 1}}));
}

TEST(TextParser, WordTokenizerKeepsLettersDigitsAndApostrophes) {
  EXPECT_EQ(
      word_counts("Don't stop: naïve café, 42 times — l\xe2\x80\x99homme; 日本語!\n", words(Tokenizer::word)),
      (std::map<std::string, u64>{{"Don't", 1},
                                  {"stop", 1},
                                  {"naïve", 1},
                                  {"café", 1},
                                  {"42", 1},
                                  {"times", 1},
                                  {"l\xe2\x80\x99homme", 1},
                                  {"日本語", 1}}));
}

TEST(TextParser, NgramsAreRunsOfWordsWithinALine) {
  EXPECT_EQ(word_counts("a b c\nd e\nf\na b\n", words(Tokenizer::whitespace, 2)),
            (std::map<std::string, u64>{{"a b", 2}, {"b c", 1}, {"d e", 1}}));
  EXPECT_EQ(word_counts("a, b. c\n", words(Tokenizer::word, 3)), (std::map<std::string, u64>{{"a b c", 1}}));
}

TEST(TextParser, CountsLines) {
  FreqTable t;
  EXPECT_EQ(map_words("a\n\nb c", MapOptions{}, t).lines, 3);
}

TEST(DetectFormat, TellsEachFormatFromItsFirstLine) {
  EXPECT_EQ(detect_format("a\t2000\t1\t1\n", "f"), Format::v2);
  EXPECT_EQ(detect_format("a b\t2000\t1\t1\t1\n", "f"), Format::v1);
  EXPECT_EQ(detect_format("a\t2000,1,1\t2001,2,1\n", "f"), Format::v3);
  EXPECT_EQ(detect_format("a\t2000,1,1", "f"), Format::v3);  // cut off by the end of the head
  EXPECT_EQ(detect_format("It was a dark and stormy night.\n", "f"), Format::text);
  EXPECT_EQ(detect_format("\n\r\na\t2000\t1\t1\r\n", "f"), Format::v2);
  EXPECT_EQ(detect_format("", "f"), Format::v2);
}

TEST(DetectFormat, AnUnknownShapeNamesTheFileLineAndWhatWasSeen) {
  try {
    detect_format("\n\nname\tage\tcity\n", "people.tsv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("people.tsv:3"), std::string::npos) << what;
    EXPECT_NE(what.find("'name\\x09age\\x09city'"), std::string::npos) << what;
    EXPECT_NE(what.find("-f"), std::string::npos) << what;
  }
}
