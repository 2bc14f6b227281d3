#include "ngfreq/v2-parser.h"

#include <gtest/gtest.h>

#include <random>

#include "ngfreq/formats.h"
#include "ngfreq/key-sink.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

// The reason and 0-based line of the first error, or "" when none.
std::pair<std::string, i64> first_error(std::string_view text) {
  FreqTable t;
  MapOutcome m = map_v2(text, YearFilter{}, t);
  if (!m.error) return {"", -1};
  return {m.error->reason, m.error->line_index};
}

}  // namespace

TEST(V2Parser, SumsConsecutiveAndScatteredLinesOfAKey) {
  FreqTable t;
  MapOutcome m = map_v2("a\t2000\t1\t1\na\t2001\t2\t1\nb\t2000\t4\t3\na\t2002\t8\t2\n", YearFilter{}, t);
  EXPECT_FALSE(m.error);
  EXPECT_EQ(m.lines, 4);
  EXPECT_EQ((table_contents(t)), (Reference{{"a", {11, 4}}, {"b", {4, 3}}}));
}

TEST(V2Parser, KeyThatExtendsThePreviousKeyIsADifferentKey) {
  FreqTable t;
  map_v2("ab\t2000\t1\t1\nabc\t2000\t2\t1\nab\t2001\t4\t1\n", YearFilter{}, t);
  EXPECT_EQ((table_contents(t)), (Reference{{"ab", {5, 2}}, {"abc", {2, 1}}}));
}

TEST(V2Parser, NgramsMayContainSpacesAndUtf8) {
  FreqTable t;
  map_v2("kill switch_NOUN\t2008\t8\t7\nnaïve\t1900\t3\t1\n", YearFilter{}, t);
  EXPECT_EQ((table_contents(t)), (Reference{{"kill switch_NOUN", {8, 7}}, {"naïve", {3, 1}}}));
}

TEST(V2Parser, YearFilterKeepsOnlyYearsInRange) {
  FreqTable t;
  YearFilter years{1900, 1950};
  map_v2("a\t1899\t1\t1\na\t1900\t2\t1\na\t1950\t4\t1\na\t1951\t8\t1\nb\t2000\t1\t1\n", years, t);
  EXPECT_EQ((table_contents(t)), (Reference{{"a", {6, 2}}}));
}

TEST(V2Parser, LargestCountsParseAndTheNextOneIsAnError) {
  FreqTable t;
  map_v2("a\t2000\t18446744073709551614\t1\n", YearFilter{}, t);
  EXPECT_EQ(t.find("a")->count, 18446744073709551614u);
  EXPECT_EQ(first_error("a\t2000\t18446744073709551616\t1\n").first,
            "match_count 18446744073709551616 does not fit in 64 bits");
  EXPECT_EQ(first_error("a\t2000\t1\t99999999999999999999\n").first,
            "volume_count 99999999999999999999 does not fit in 64 bits");
}

TEST(V2Parser, EachMalformedShapeHasItsOwnReason) {
  EXPECT_EQ(first_error("a\t2000\t1\n").first, "expected 4 tab-separated fields, got 3");
  EXPECT_EQ(first_error("a\t2000\t1\t1\t1\n").first, "expected 4 tab-separated fields, got 5");
  EXPECT_EQ(first_error("a\n").first, "expected 4 tab-separated fields, got 1");
  EXPECT_EQ(first_error("\n").first, "empty line");
  EXPECT_EQ(first_error("\t2000\t1\t1\n").first, "empty n-gram");
  EXPECT_EQ(first_error(std::string_view("a\0b\t2000\t1\t1\n", 13)).first, "NUL byte in n-gram");
  EXPECT_EQ(first_error("a\tyear\t1\t1\n").first, "year 'year' is not a number");
  EXPECT_EQ(first_error("a\t12345\t1\t1\n").first, "year 12345 is out of range 0-9999");
  EXPECT_EQ(first_error("a\t2000\t-1\t1\n").first, "match_count '-1' is not a non-negative integer");
  EXPECT_EQ(first_error("a\t2000\t1.5\t1\n").first, "match_count '1.5' is not a non-negative integer");
  EXPECT_EQ(first_error("a\t2000\t\t1\n").first, "match_count '' is not a non-negative integer");
  EXPECT_EQ(first_error("a\t2000\t1\tx\n").first, "volume_count 'x' is not a non-negative integer");
  EXPECT_EQ(first_error("a\t2000\t1\t\n").first, "volume_count '' is not a non-negative integer");
  EXPECT_EQ(first_error("a\t2000\t1\t2 \n").first, "volume_count '2 ' is not a non-negative integer");
}

TEST(V2Parser, ErrorNamesTheLineItIsOn) {
  auto [reason, line] = first_error("a\t2000\t1\t1\na\t2001\t1\t1\nb\t2000\t1\n");
  EXPECT_EQ(line, 2);
  FreqTable t;
  MapOutcome m = map_v2("a\t2000\t1\t1\nb\t2000\t1\n", YearFilter{}, t);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->offset, 11);  // "a\t2000\t1\t1\n" is 11 bytes
  EXPECT_EQ(m.lines, 1);
}

TEST(V2Parser, ControlBytesInMessagesAreEscaped) {
  EXPECT_EQ(first_error("a\t2000\t1\x01\t1\n").first, "match_count '1\\x01' is not a non-negative integer");
}

TEST(V2Parser, InvalidUtf8InMessagesIsEscapedAndValidUtf8Kept) {
  EXPECT_EQ(first_error("a\tnaïve\xff\t1\t1\n").first, "year 'naïve\\xff' is not a number");
  // A character is not cut in half at the 40-byte limit.
  std::string year = std::string(39, 'y') + "é";
  EXPECT_EQ(first_error("a\t" + year + "\t1\t1\n").first,
            "year '" + std::string(39, 'y') + "...' is not a number");
}

// --on-error skip: malformed lines add nothing and are counted; the good
// lines around them, even of the same n-gram, are summed as usual.
TEST(V2Parser, SkipLeavesMalformedLinesOutAndNamesTheFirstFive) {
  std::string good = "a\t2000\t1\t1\na\t2001\t2\t1\nb\t2000\t4\t3\n";
  std::string text =
      "a\t2000\t1\t1\n"
      "a\t2000\tx\t1\n"  // same key as the line before
      "a\t2001\t2\t1\n"
      "c\t2000\t9\n"  // a new key, never counted
      "b\t2000\t4\t3\n"
      "\n"
      "d\tyear\t1\t1\n"
      "\t2000\t1\t1\n"
      "e\t2000\t1\t1\t1\n";
  FreqTable skipped_table, good_table;
  MapOutcome m = map_v2(text, YearFilter{}, skipped_table, OnError::skip);
  map_v2(good, YearFilter{}, good_table);
  EXPECT_FALSE(m.error);
  EXPECT_EQ(table_contents(skipped_table), table_contents(good_table));
  EXPECT_EQ(m.lines, 9);
  EXPECT_EQ(m.skipped, 6);
  ASSERT_EQ(m.first_skipped.size(), MAX_NAMED_SKIPS);
  std::vector<i64> lines;
  for (const LineError& e : m.first_skipped) lines.push_back(e.line_index);
  EXPECT_EQ(lines, (std::vector<i64>{1, 3, 5, 6, 7}));
  EXPECT_EQ(m.first_skipped[0].reason, "match_count 'x' is not a non-negative integer");
  EXPECT_EQ(m.first_skipped[0].offset, 11);
  EXPECT_EQ(m.first_skipped[2].reason, "empty line");
}

TEST(V2Parser, FailStopsAtTheFirstMalformedLine) {
  FreqTable t;
  MapOutcome m = map_v2("a\t2000\t1\t1\nb\t2000\n c\t2000\t1\n", YearFilter{}, t, OnError::fail);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->line_index, 1);
  EXPECT_EQ(m.skipped, 0);
  EXPECT_TRUE(m.first_skipped.empty());
}

// ngfreq series steps over the lines of n-grams no query wants without
// computing their numbers (skip_short_v2_fields): it must read every line as
// the full parse does, so the lines, errors and kept totals must be those
// of an unfiltered map, whatever the shapes of the lines.
TEST(V2Parser, AKeyFilterReadsEveryLineAsTheFullParseDoes) {
  const std::vector<std::string> rests = {"1850\t12\t3\n",
                                          "1850\t1234567\t7654321\n",
                                          "1850\t12345678\t3\n",
                                          "1850\t3\t123456789012\n",
                                          "0001\t1\t1\n",
                                          "01850\t1\t1\n",
                                          "10000\t1\t1\n",
                                          "18a0\t1\t1\n",
                                          "1850\t\t1\n",
                                          "1850\t1\t\n",
                                          "1850\t1\t1\t1\n",
                                          "1850\t1\n",
                                          "1850\t1\t1\r\n",
                                          "1850\t1\t1\r",
                                          "1850\t1\t1x\n",
                                          "1850\t99999999999999999999\t1\n",
                                          "1850\t18446744073709551615\t1\n",
                                          "1850\t1\t18446744073709551616\n",
                                          "\t1\t1\n",
                                          "1850 \t1\t1\n",
                                          "1850\t1\t1"};
  const std::vector<std::string> keys = {
      "a", "ab", "kill switch", "naïve", std::string("a\0b", 3), "", "zzzzzzzzzzzzzzzzzz"};
  std::mt19937 rng(7);
  for (int round = 0; round < 400; round++) {
    std::string text;
    int lines = 1 + int(rng() % 60);
    for (int i = 0; i < lines; i++) {
      // Mostly well-formed short lines, in runs of one key, as in Google's files.
      const std::string& key = keys[(i / 4 + round) % keys.size()];
      const std::string& rest = rng() % 4 == 0 ? rests[rng() % rests.size()] : rests[rng() % 2];
      text += key + "\t" + rest;
      if (rest.back() != '\n' && i + 1 < lines) text += "\n";
    }
    text += std::string(rng() % 40, ' ');  // the end of the text at every distance
    auto filter = std::make_shared<KeyFilter>();
    filter->keep("ab");
    filter->keep("naïve");
    for (OnError policy : {OnError::fail, OnError::skip}) {
      MapOptions all, some;
      all.on_error = some.on_error = policy;
      all.keys.by_year = some.keys.by_year = true;
      some.keys.only = filter;
      FreqTable all_table, some_table;
      MapOutcome a = map_v2(text, all, all_table), s = map_v2(text, some, some_table);
      ASSERT_EQ(a.lines, s.lines) << text;
      ASSERT_EQ(bool(a.error), bool(s.error)) << text;
      if (a.error) {
        EXPECT_EQ(a.error->line_index, s.error->line_index) << text;
        EXPECT_EQ(a.error->offset, s.error->offset) << text;
        EXPECT_EQ(a.error->reason, s.error->reason) << text;
      }
      ASSERT_EQ(a.skipped, s.skipped) << text;
      for (size_t i = 0; i < a.first_skipped.size(); i++) {
        EXPECT_EQ(a.first_skipped[i].line_index, s.first_skipped[i].line_index) << text;
        EXPECT_EQ(a.first_skipped[i].reason, s.first_skipped[i].reason) << text;
      }
      Reference kept;
      for (const auto& [key, totals] : table_contents(all_table))
        if (filter->keeps(split_year_key(key).first)) kept[key] = totals;
      EXPECT_EQ(table_contents(some_table), kept) << text;
    }
  }
}
