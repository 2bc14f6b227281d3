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

KeyOptions key_options(TagFilter tags, bool ignore_case = false, bool by_year = false,
                       std::shared_ptr<const KeyFilter> only = nullptr) {
  KeyOptions o;
  o.tags = tags;
  o.ignore_case = ignore_case;
  o.by_year = by_year;
  o.only = std::move(only);
  return o;
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
  EXPECT_EQ(sink_all(key_options(TagFilter::drop), items), (Reference{{"kill switch", {199, 1}}}));
  EXPECT_EQ(
      sink_all(key_options(TagFilter::only), items),
      (Reference{{"kill switch_NOUN", {187, 1}}, {"kill_NOUN switch", {89, 1}}, {"_START_ kill", {5, 1}}}));
  EXPECT_EQ(sink_all(key_options(TagFilter::keep), items).size(), 4u);
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

TEST(KeyFilter, OnlyTheKeptNgramsAreCountedAfterCaseFolding) {
  auto filter = std::make_shared<KeyFilter>();
  filter->keep("kill switch");
  filter->keep("aardvark");
  auto items = {std::pair<std::string_view, u64>{"Aardvark", 3},
                {"Aardvark", 4},  // the same n-gram again: the remembered answer
                {"aardvark", 5},
                {"kill switch", 7},
                {"kill switches", 11},
                {"Aardvarks", 13}};
  EXPECT_EQ(sink_all(key_options(TagFilter::keep, false, false, filter), items),
            (Reference{{"aardvark", {5, 1}}, {"kill switch", {7, 1}}}));
  EXPECT_EQ(sink_all(key_options(TagFilter::keep, true, false, filter), items),
            (Reference{{"aardvark", {12, 3}}, {"kill switch", {7, 1}}}));
  EXPECT_EQ(sink_all(key_options(TagFilter::only, false, false, filter), items).size(), 0u);
}

TEST(KeyFilter, ByYearKeysOfKeptNgramsOnly) {
  auto filter = std::make_shared<KeyFilter>();
  filter->keep("b");
  FreqTable t;
  KeyOptions opts = key_options(TagFilter::keep, false, true, filter);
  KeySink sink(opts, t);
  sink.add("a", 1900, 1, 1);
  sink.add("b", 1900, 2, 1);
  sink.add("b", 1901, 3, 1);
  sink.add("c", 1901, 4, 1);
  sink.add("b", 1901, 5, 1);
  Reference got = table_contents(t);
  ASSERT_EQ(got.size(), 2u);
  std::vector<std::pair<std::string, u64>> rows;
  for (const auto& [key, totals] : got) {
    auto [ngram, year] = split_year_key(key);
    EXPECT_EQ(ngram, "b");
    rows.emplace_back(std::to_string(year), totals.count);
  }
  EXPECT_EQ(rows, (std::vector<std::pair<std::string, u64>>{{"1900", 2}, {"1901", 8}}));
}

TEST(KeyFilter, WantedSaysWhatAddWouldCount) {
  auto filter = std::make_shared<KeyFilter>();
  filter->keep("kill switch");
  filter->keep("kill_NOUN switch");
  FreqTable t;
  KeyOptions opts = key_options(TagFilter::drop, false, true, filter);
  KeySink sink(opts, t);
  EXPECT_TRUE(sink.wanted("kill switch"));
  EXPECT_FALSE(sink.wanted("kill_NOUN switch"));  // dropped by --tags
  EXPECT_FALSE(sink.wanted("kill switches"));
  KeyOptions plain_opts;
  KeySink plain(plain_opts, t);
  EXPECT_TRUE(plain.wanted("anything"));
}
