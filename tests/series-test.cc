#include "ngfreq/series.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;
using ::testing::HasSubstr;

namespace {

std::vector<std::string> members(const SeriesQuery& q) { return q.members; }

std::map<i64, u64> totals_from(const std::string& text) {
  TempDir dir;
  write_file(dir.path() / "totals", text);
  return read_total_counts((dir.path() / "totals").string());
}

std::string error_of(const std::string& text) {
  try {
    totals_from(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

SeriesQuery plain(const std::string& ngram) { return parse_queries({ngram}, false).front(); }

}  // namespace

TEST(SeriesQueries, GroupsAreSplitTrimmedAndDeduplicated) {
  auto qs = parse_queries({"walk | walks|walked|walks", "kill switch"}, false);
  ASSERT_EQ(qs.size(), 2u);
  EXPECT_EQ(qs[0].label, "walk | walks|walked|walks");
  EXPECT_EQ(members(qs[0]), (std::vector<std::string>{"walk", "walks", "walked"}));
  EXPECT_EQ(members(qs[1]), (std::vector<std::string>{"kill switch"}));
  EXPECT_FALSE(qs[1].wildcard);
}

TEST(SeriesQueries, IgnoreCaseFoldsMembersAndMergesTheirVariants) {
  auto qs = parse_queries({"Straße|STRASSE|strasse"}, true);
  EXPECT_EQ(members(qs[0]), (std::vector<std::string>{"strasse"}));
}

TEST(SeriesQueries, WildcardsAreTokenPatterns) {
  auto qs = parse_queries({"Aard*", "* switch", "a*b"}, false);
  EXPECT_TRUE(qs[0].wildcard);
  EXPECT_TRUE(qs[1].wildcard);
  EXPECT_FALSE(qs[2].wildcard);  // a '*' inside a token is a character of the word
  EXPECT_TRUE(qs[0].members.empty());
  ASSERT_EQ(qs[1].pattern.size(), 2u);
  EXPECT_EQ(qs[1].pattern[0].kind, TokenPattern::Kind::any);
  EXPECT_EQ(qs[1].pattern[1].kind, TokenPattern::Kind::word);
  EXPECT_EQ(qs[0].pattern[0].kind, TokenPattern::Kind::prefix);
  EXPECT_EQ(qs[0].pattern[0].text, "Aard");
}

TEST(SeriesQueries, BadQueriesAreUsageErrors) {
  EXPECT_THROW(parse_queries({"walk||walks"}, false), UsageError);
  EXPECT_THROW(parse_queries({" "}, false), UsageError);
  EXPECT_THROW(parse_queries({"a\tb"}, false), UsageError);
  EXPECT_THROW(parse_queries({"walk|walk*"}, false), UsageError);
  EXPECT_THROW(parse_queries({"walk*|walk"}, false), UsageError);
}

TEST(NgramPatterns, MatchTokenByTokenAndTheTokenCount) {
  NgramPattern p = parse_pattern("* switch");
  EXPECT_TRUE(pattern_matches(p, "kill switch"));
  EXPECT_TRUE(pattern_matches(p, "_NOUN_ switch"));
  EXPECT_FALSE(pattern_matches(p, "switch"));
  EXPECT_FALSE(pattern_matches(p, "a kill switch"));
  EXPECT_FALSE(pattern_matches(p, "kill switches"));
  NgramPattern q = parse_pattern("Aard*");
  EXPECT_TRUE(pattern_matches(q, "Aard"));
  EXPECT_TRUE(pattern_matches(q, "Aardvark_NOUN"));
  EXPECT_FALSE(pattern_matches(q, "Aardvark s"));
  EXPECT_FALSE(pattern_matches(q, "aardvark"));
}

TEST(TotalCounts, ReadsTheV2LineTheV3LineAndOneALine) {
  std::map<i64, u64> want{{1505, 32059}, {1507, 49586}, {2008, 19482936409}};
  EXPECT_EQ(totals_from(" 1505,32059,231,1\t1507,49586,477,1\t2008,19482936409,89902,206272\t\n"), want);
  EXPECT_EQ(totals_from(" \t1505,32059,231,1\t1507,49586,477,1\t2008,19482936409,89902,206272\n"), want);
  EXPECT_EQ(totals_from("1505,32059,231,1\r\n1507,49586,477,1\r\n2008,19482936409,89902,206272\r\n"), want);
}

TEST(TotalCounts, AMalformedEntryIsNamedByItsNumber) {
  EXPECT_THAT(error_of("1505,32059,231,1\n1507,49586,477\n"), HasSubstr("totals: entry 2: expected year,"));
  EXPECT_THAT(error_of("1505,32059,231,1\n1507,4x,477,1\n"), HasSubstr("entry 2"));
  EXPECT_THAT(error_of("1,2,3,4 1,2,3,4,5"), HasSubstr("entry 2"));
  EXPECT_THAT(error_of("1505,1,1,1 1505,2,2,2"), HasSubstr("entry 2: year 1505 is given twice"));
  EXPECT_THAT(error_of("99999,1,1,1"), HasSubstr("entry 1: the year is past 9999"));
  EXPECT_THAT(error_of(" \t\n"), HasSubstr("no total counts"));
}

TEST(MakeSeries, EveryYearOfTheRangeIsARowAndGroupsAreSummed) {
  std::unordered_map<std::string, YearCounts> counts{{"walk", {{1900, {3, 1}}, {1903, {5, 2}}}},
                                                     {"walked", {{1901, {7, 3}}, {1903, {1, 1}}}},
                                                     {"a wildcard's other match", {{1800, {1, 1}}}}};
  auto qs = parse_queries({"walk|walked", "run"}, false);
  SeriesTable t = make_series(qs, counts, nullptr, {});
  EXPECT_EQ(t.years, (std::vector<i64>{1900, 1901, 1902, 1903}));
  EXPECT_EQ(t.values[0], (std::vector<double>{3, 7, 0, 6}));
  EXPECT_EQ(t.values[1], (std::vector<double>{0, 0, 0, 0}));
  EXPECT_TRUE(t.integral);

  SeriesSettings s;
  s.value = SeriesValue::volumes;
  s.since = 1899;
  s.until = 1901;
  t = make_series(qs, counts, nullptr, s);
  EXPECT_EQ(t.years, (std::vector<i64>{1899, 1900, 1901}));
  EXPECT_EQ(t.values[0], (std::vector<double>{0, 1, 3}));
}

TEST(MakeSeries, RelativeValuesAreSharesOfTheYearsTotal) {
  std::unordered_map<std::string, YearCounts> counts{{"a", {{1900, {5, 1}}, {1902, {1, 1}}}}};
  std::map<i64, u64> totals{{1900, 1000}, {1902, 4}};  // no 1901: no books, and no match
  SeriesSettings s;
  s.value = SeriesValue::relative;
  s.scale = 1e6;
  SeriesTable t = make_series({plain("a")}, counts, &totals, s);
  EXPECT_EQ(t.values[0], (std::vector<double>{5000, 0, 250000}));
  EXPECT_FALSE(t.integral);

  counts["a"][1901] = {2, 1};  // a match where the totals have no year
  s.totals_path = "tc.txt";
  try {
    make_series({plain("a")}, counts, &totals, s);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "tc.txt: no total count for 1901, where 'a' has 2 matches");
  }
}

TEST(MakeSeries, SmoothingAveragesFewerYearsAtTheEnds) {
  std::unordered_map<std::string, YearCounts> counts{
      {"a", {{2000, {1, 1}}, {2001, {2, 1}}, {2002, {3, 1}}, {2003, {4, 1}}, {2004, {10, 1}}}}};
  SeriesSettings s;
  s.smoothing = 1;
  SeriesTable t = make_series({plain("a")}, counts, nullptr, s);
  EXPECT_EQ(t.values[0], (std::vector<double>{1.5, 2, 3, 17.0 / 3, 7}));
  s.smoothing = 10;  // wider than the range: every year is the mean of all
  t = make_series({plain("a")}, counts, nullptr, s);
  EXPECT_EQ(t.values[0], (std::vector<double>(5, 4)));
  EXPECT_FALSE(t.integral);
}

TEST(ExpandWildcards, TheMostFrequentMatchesWithTiesInByteOrder) {
  std::unordered_map<std::string, YearCounts> counts{{"kill switch", {{1900, {5, 1}}, {1901, {5, 1}}}},
                                                     {"dead switch", {{1900, {10, 1}}}},
                                                     {"a switch", {{1950, {10, 1}}}},
                                                     {"toggle switch", {{1900, {3, 1}}}},
                                                     {"switch", {{1900, {99, 1}}}},
                                                     {"zero switch", {{1900, {0, 0}}}}};
  std::vector<std::string> unmatched;
  auto qs = expand_wildcards(parse_queries({"* switch", "walk", "nothing*"}, false), counts, 3, unmatched);
  std::vector<std::string> labels;
  for (const SeriesQuery& q : qs) labels.push_back(q.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"a switch", "dead switch", "kill switch", "walk", "nothing*"}));
  EXPECT_EQ(unmatched, (std::vector<std::string>{"nothing*"}));
  EXPECT_EQ(members(qs[2]), (std::vector<std::string>{"kill switch"}));
  EXPECT_TRUE(qs[4].members.empty());
}

TEST(FormatSeries, TsvCsvAndJsonLines) {
  SeriesTable t{{"a", "b,\"c\""}, {1999, 2000}, {{1, 2}, {0.5, 0.25}}, false};
  EXPECT_EQ(format_series(t, RowFormat::tsv), "year\ta\tb,\"c\"\n1999\t1\t0.5\n2000\t2\t0.25\n");
  EXPECT_EQ(format_series(t, RowFormat::csv), "year,a,\"b,\"\"c\"\"\"\r\n1999,1,0.5\r\n2000,2,0.25\r\n");
  EXPECT_EQ(format_series(t, RowFormat::jsonl),
            "{\"query\":\"a\",\"year\":1999,\"value\":1}\n{\"query\":\"a\",\"year\":2000,\"value\":2}\n"
            "{\"query\":\"b,\\\"c\\\"\",\"year\":1999,\"value\":0.5}\n"
            "{\"query\":\"b,\\\"c\\\"\",\"year\":2000,\"value\":0.25}\n");
  t.values = {{3e15, 0}, {1, 7}};
  t.integral = true;
  EXPECT_EQ(format_series(t, RowFormat::tsv), "year\ta\tb,\"c\"\n1999\t3000000000000000\t1\n2000\t0\t7\n");
}
