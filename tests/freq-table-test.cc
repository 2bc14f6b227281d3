#include "ngfreq/freq-table.h"

#include <gtest/gtest.h>

#include "ngfreq/hash.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {
void add(FreqTable& t, const std::string& k, u64 c, u64 v = 1) { t.add(k, hash_key(k), c, v); }
}  // namespace

TEST(FreqTable, EmptyTableAllocatesNothing) {
  FreqTable t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.size(), 0);
  EXPECT_EQ(t.memory_bytes(), 0);
  EXPECT_EQ(t.find("a"), nullptr);
}

TEST(FreqTable, AddsAndFindsManyKeysThroughRehashes) {
  FreqTable t;
  Reference want;
  Rng rng{1};
  for (int i = 0; i < 60000; i++) {
    std::string k = "k" + std::to_string(rng.below(10000));
    u64 c = 1 + rng.below(100);
    add(t, k, c, 1);
    want[k].count += c;
    want[k].volumes += 1;
  }
  EXPECT_EQ(table_contents(t), want);
  EXPECT_EQ(t.size(), i64(want.size()));
  for (auto& [k, v] : want) ASSERT_EQ(t.find(k)->count, v.count);
  EXPECT_EQ(t.find("absent"), nullptr);
}

TEST(FreqTable, EveryEntryLivesInTheShardItsHashNames) {
  FreqTable t;
  for (int i = 0; i < 5000; i++) add(t, "w" + std::to_string(i), 1);
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++)
    for (const Entry& e : t.shard(s).entries()) {
      EXPECT_EQ(FreqTable::shard_of(e.hash), s);
      EXPECT_EQ(e.hash, hash_key(e.key_view()));
    }
}

TEST(FreqTable, MergeSumsOverlappingKeysAndEmptiesSources) {
  FreqTable a, b, c;
  Reference want;
  for (int i = 0; i < 3000; i++) {
    add(a, "x" + std::to_string(i), 1);
    want["x" + std::to_string(i)].count += 1;
    want["x" + std::to_string(i)].volumes += 1;
    add(b, "x" + std::to_string(i * 2), 10);
    want["x" + std::to_string(i * 2)].count += 10;
    want["x" + std::to_string(i * 2)].volumes += 1;
  }
  add(c, "only-c", 5);
  want["only-c"] = {5, 1};
  std::vector<FreqTable*> sources{&b, &c};
  merge_tables(a, sources, true);
  EXPECT_EQ(table_contents(a), want);
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(c.empty());
}

TEST(FreqTable, MergeIntoEmptyTableTakesTheSource) {
  FreqTable a, b;
  add(b, "k", 3);
  std::vector<FreqTable*> sources{&b};
  merge_tables(a, sources, false);
  EXPECT_EQ(table_contents(a), (Reference{{"k", {3, 1}}}));
}

TEST(FreqTable, TotalsSaturateAndFlagOverflow) {
  FreqTable a, b;
  add(a, "big", ~u64{0} - 10);
  EXPECT_FALSE(a.overflowed());
  add(b, "big", 11);
  std::vector<FreqTable*> sources{&b};
  merge_tables(a, sources, true);
  EXPECT_TRUE(a.overflowed());
  EXPECT_EQ(a.find("big")->count, COUNT_OVERFLOW);
}

TEST(FreqTable, KeysSurviveTheirSourceBuffer) {
  FreqTable t;
  {
    std::string temp = "transient-key";
    add(t, temp, 1);
    temp.assign(temp.size(), '#');
  }
  EXPECT_NE(t.find("transient-key"), nullptr);
}
