#include "ngfreq/v2-parser.h"

#include <gtest/gtest.h>

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
