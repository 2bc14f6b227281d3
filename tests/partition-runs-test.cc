// The hash-partition runs and their finalize: records appended by several
// threads' runs sum to the reference, on the direct path and on the sorted
// one (more than 16 K records in a partition), and a combining table that
// flushes into runs loses nothing.
#include "ngfreq/partition-runs.h"

#include <gtest/gtest.h>

#include "ngfreq/hash.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

// A hash for key number i that lands in partition s. Made here, not by
// hash_key, so the test spreads keys over sub-buckets in the hash-zero
// build too.
u64 hash_in_partition(int s, u64 i) {
  Rng mix{i};
  return (u64(s) << (64 - FreqTable::SHARD_BITS)) | (mix.next() >> FreqTable::SHARD_BITS);
}

// Appends `records` records of keys drawn from `distinct` to partition s of
// `runs`, spread over the runs round-robin, and adds them to `want`.
void fill_partition(std::vector<PartitionRuns>& runs, int s, i64 records, i64 distinct, Reference& want) {
  Rng rng{u64(s) * 7919 + u64(records)};
  for (i64 r = 0; r < records; r++) {
    u64 i = rng.below(distinct);
    std::string key = "key-" + std::to_string(i) + (i % 5 == 0 ? std::string(40, 'x') : "");
    u64 count = 1 + rng.below(1000);
    runs[r % runs.size()].partition(s).append({key.data(), key.size(), hash_in_partition(s, i), count, 1});
    want[key].count += count;
    want[key].volumes += 1;
  }
}

Reference shard_contents(const FreqShard& shard) {
  Reference out;
  for (const Entry& e : shard.entries()) {
    auto [it, fresh] = out.emplace(std::string(e.key_view()), RefTotals{e.count, e.volumes});
    EXPECT_TRUE(fresh) << "duplicate key " << it->first;
  }
  return out;
}

std::vector<PartitionRuns*> pointers(std::vector<PartitionRuns>& runs) {
  std::vector<PartitionRuns*> p;
  for (PartitionRuns& r : runs) p.push_back(&r);
  return p;
}

}  // namespace

TEST(PartitionRuns, SmallAndLargePartitionsSumToTheReferenceAndAreFreed) {
  // 3 000 records take the direct path; 70 000 the counting sort, with
  // several sub-bucket bits.
  for (i64 records : {i64(3000), i64(70000)}) {
    SCOPED_TRACE(records);
    std::vector<PartitionRuns> runs(3);
    Reference want;
    fill_partition(runs, 5, records, records / 3, want);
    EXPECT_EQ(runs[0].partition(5).records(), (records + 2) / 3);
    EXPECT_GT(runs[0].bytes(), 0);

    FreqShard dest;
    aggregate_partition(dest, pointers(runs), 5);
    EXPECT_EQ(shard_contents(dest), want);
    EXPECT_FALSE(dest.overflowed());
    for (PartitionRuns& r : runs) EXPECT_EQ(r.bytes(), 0);
  }
}

TEST(PartitionRuns, AggregateAddsToWhatTheShardHolds) {
  std::vector<PartitionRuns> runs(2);
  Reference want;
  fill_partition(runs, 0, 20000, 5000, want);
  FreqShard dest;
  std::string key = "key-1";
  dest.add(key, hash_in_partition(0, 1), 10, 2);
  want[key].count += 10;
  want[key].volumes += 2;
  aggregate_partition(dest, pointers(runs), 0);
  EXPECT_EQ(shard_contents(dest), want);
}

TEST(PartitionRuns, TotalsSaturateAndReportTheOverflow) {
  std::vector<PartitionRuns> runs(2);
  std::string key = "huge";
  for (PartitionRuns& r : runs)
    r.partition(1).append({key.data(), key.size(), hash_in_partition(1, 0), u64(1) << 63, 1});
  FreqShard dest;
  aggregate_partition(dest, pointers(runs), 1);
  ASSERT_EQ(dest.size(), 1);
  EXPECT_EQ(dest.entries()[0].count, COUNT_OVERFLOW);
  EXPECT_TRUE(dest.overflowed());
}

TEST(PartitionRuns, CombiningTablesFlushIntoRunsAndLoseNothing) {
  // Two "threads", each a combining table of at most 100 keys, flushing
  // into its own runs, as the partitioned reducer does.
  for (bool parallel : {false, true}) {
    SCOPED_TRACE(parallel);
    std::vector<PartitionRuns> runs(2);
    std::vector<FreqTable> tables(2);
    for (int t = 0; t < 2; t++) tables[t].flush_into(&runs[t], 100);
    Reference want;
    add_round_robin(tables, 50000, 8000, 3, want);
    for (FreqTable& t : tables) {
      EXPECT_LE(t.size(), 100);
      t.flush();
      EXPECT_EQ(t.size(), 0);
    }
    FreqTable sum = aggregate_runs(pointers(runs), parallel);
    EXPECT_EQ(table_contents(sum), want);
    for (int s = 0; s < FreqTable::NUM_SHARDS; s++)
      for (const Entry& e : sum.shard(s).entries()) EXPECT_EQ(FreqTable::shard_of(e.hash), s);
  }
}

TEST(PartitionRuns, NoRecordsGiveAnEmptyTable) {
  std::vector<PartitionRuns> runs(2);
  EXPECT_TRUE(aggregate_runs(pointers(runs), true).empty());
}

TEST(FreqShard, ClearEmptiesButKeepsTheMemory) {
  FreqShard shard;
  for (int i = 0; i < 5000; i++) {
    std::string key = "c" + std::to_string(i);
    EXPECT_TRUE(shard.add(key, hash_in_partition(0, i), 1, 1));
    EXPECT_FALSE(shard.add(key, hash_in_partition(0, i), 1, 1));
  }
  shard.clear();
  EXPECT_EQ(shard.size(), 0);
  EXPECT_EQ(shard.find("c1", hash_in_partition(0, 1)), nullptr);
  // The slots and entries stay allocated, for the next fill.
  EXPECT_GT(shard.memory_bytes(), i64(5000 * sizeof(Entry)));
  EXPECT_TRUE(shard.add("c1", hash_in_partition(0, 1), 4, 1));
  ASSERT_NE(shard.find("c1", hash_in_partition(0, 1)), nullptr);
  EXPECT_EQ(shard.find("c1", hash_in_partition(0, 1))->count, 4u);
}
