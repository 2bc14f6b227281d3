#include "ngfreq/key-sink.h"

#include <gtest/gtest.h>

#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

std::string folded(std::string_view ngram) {
  std::string out;
  fold_case(ngram, out);
  return out;
}

// What a sink with `opts` makes of (ngram, count) pairs, all of year 2000.
Reference sink_all(const KeyOptions& opts, std::initializer_list<std::pair<std::string_view, u64>> items) {
  FreqTable t;
  KeySink sink(opts, t);
  for (auto [ngram, count] : items) sink.add(ngram, 2000, count, 1);
  return table_contents(t);
}

}  // namespace

TEST(Tags, GoogleTagSuffixesAndPlaceholdersAreTagged) {
  for (std::string_view t :
       {"Aardvark_NOUN", "run_VERB", "of_ADP", ",_.", "x_X", "_NOUN_", "_START_", "_END_", "_ROOT_", "_._"})
    EXPECT_TRUE(is_tagged_token(t)) << t;
  for (std::string_view t : {"snake_case", "_NOUN", "NOUN", "a_noun", "_START", "_", "__", "Aardvark", ""})
    EXPECT_FALSE(is_tagged_token(t)) << t;
  EXPECT_TRUE(has_tagged_token("kill_NOUN switch"));
  EXPECT_TRUE(has_tagged_token("_START_ The"));
  EXPECT_FALSE(has_tagged_token("kill switch"));
}

TEST(Tags, DropAndOnlySplitTheEntriesBetweenThem) {
  auto items = {std::pair<std::string_view, u64>{"kill switch", 199},
                {"kill switch_NOUN", 187},
                {"kill_NOUN switch", 89},
                {"_START_ kill", 5}};
  EXPECT_EQ(sink_all({TagFilter::drop}, items), (Reference{{"kill switch", {199, 1}}}));
  EXPECT_EQ(
      sink_all({TagFilter::only}, items),
      (Reference{{"kill switch_NOUN", {187, 1}}, {"kill_NOUN switch", {89, 1}}, {"_START_ kill", {5, 1}}}));
  EXPECT_EQ(sink_all({TagFilter::keep}, items).size(), 4u);
}

TEST(IgnoreCase, FoldsUnicodeCaseButNotTags) {
  EXPECT_EQ(folded("The CAT"), "the cat");
  EXPECT_EQ(folded("Straße STRASSE"), "strasse strasse");
  EXPECT_EQ(folded("ΟΔΟΣ οδος"), "οδοσ οδοσ");  // final sigma folds to sigma
  EXPECT_EQ(folded("Aardvark_NOUN _START_ É_ADJ"), "aardvark_NOUN _START_ é_ADJ");
  EXPECT_EQ(folded("X\xff"), "x\xff");  // bytes that are not UTF-8 are kept
}

TEST(IgnoreCase, CaseVariantsMerge) {
  KeyOptions o;
  o.ignore_case = true;
  EXPECT_EQ(sink_all(o, {{"Aardvark", 1}, {"AARDVARK", 2}, {"aardvark", 4}, {"Aardvark_NOUN", 8}}),
            (Reference{{"aardvark", {7, 3}}, {"aardvark_NOUN", {8, 1}}}));
}

TEST(ByYear, KeysSortByNgramThenYear) {
  KeyOptions o;
  o.by_year = true;
  FreqTable t;
  KeySink sink(o, t);
  sink.add("ab", 2000, 1, 1);
  sink.add("a", 2001, 2, 1);
  sink.add("a", 999, 4, 1);
  sink.add("a", 2001, 8, 1);
  std::vector<std::pair<std::string, i64>> order;
  Reference all = table_contents(t);  // ordered by key bytes
  for (auto& [key, totals] : all) {
    auto [ngram, year] = split_year_key(key);
    order.emplace_back(std::string(ngram), year);
  }
  EXPECT_EQ(order, (std::vector<std::pair<std::string, i64>>{{"a", 999}, {"a", 2001}, {"ab", 2000}}));
  EXPECT_EQ(all.begin()->second.count, 4u);
  EXPECT_EQ(std::next(all.begin())->second.count, 10u);
}
