// Spilling: record blocks survive the disk or fail loudly, the spill file
// is shared by threads and leaves nothing behind, the router cuts by the
// documented hash bits, partitioned totals spilled and cut to every level
// sum to the reference, and the external sort gives the bytes of a plain
// sort whatever its ranges.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "ngfreq/external-sort.h"
#include "ngfreq/hash.h"
#include "ngfreq/output-file.h"
#include "ngfreq/partition-store.h"
#include "ngfreq/record-block.h"
#include "ngfreq/spill-file.h"
#include "ngfreq/totals.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;
using testing::HasSubstr;

namespace {

// `n` flat records of keys "k<i>" (count i + 1), and their reference.
std::string make_records(i64 n, Reference& want, u64 seed = 1) {
  std::string out;
  Rng rng{seed};
  for (i64 i = 0; i < n; i++) {
    std::string key = "k" + std::to_string(rng.below(n * 4)) + std::string(rng.below(30), 'z');
    u64 count = 1 + rng.below(1000);
    size_t at = out.size();
    out.resize(at + flat_record_size(key.size()));
    encode_flat_record(out.data() + at, {key, hash_key(key), count, 1});
    want[key].count += count;
    want[key].volumes += 1;
  }
  return out;
}

Reference records_contents(std::string_view records) {
  Reference out;
  for_each_record(records, [&](const char*, const FlatEntry& e) {
    RefTotals& t = out[std::string(e.key)];
    t.count += e.count;
    t.volumes += e.volumes;
  });
  return out;
}

// Files in `dir`, to check that nothing is left.
i64 files_in(const TempDir& dir) {
  return std::distance(std::filesystem::directory_iterator(dir.path()),
                       std::filesystem::directory_iterator());
}

}  // namespace

TEST(RecordBlock, RoundTripsAndShrinksRecords) {
  Reference want;
  std::string records = make_records(5000, want);
  std::string block;
  encode_block(records, 5000, block);
  EXPECT_LT(block.size(), records.size());
  std::string back;
  BlockHeader h = decode_block(block.data(), block.size(), back);
  EXPECT_EQ(h.records, 5000u);
  EXPECT_EQ(back, records);
}

TEST(RecordBlock, DamageIsAnErrorNotWrongTotals) {
  Reference want;
  std::string records = make_records(100, want);
  std::string block;
  encode_block(records, 100, block);
  std::string out;
  for (size_t at : {size_t(0), size_t(5), size_t(BLOCK_HEADER_BYTES + 3), block.size() - 1}) {
    std::string bad = block;
    bad[at] ^= 0x40;
    EXPECT_THROW(decode_block(bad.data(), bad.size(), out), Error) << "byte " << at;
  }
  EXPECT_THROW(decode_block(block.data(), block.size() - 1, out), Error);
  EXPECT_THROW(decode_block(block.data(), 10, out), Error);
}

TEST(SpillFile, ThreadsWriteAndReadBackEveryBlockAndLeaveNoFile) {
  TempDir dir;
  Reference want;
  std::string records = make_records(20000, want);
  std::vector<std::string_view> pieces;
  for (size_t at = 0, i = 0; at < records.size(); i++) {
    // Cut at record bounds, pieces of 1 to 400 records.
    const char* p = records.data() + at;
    const char* end = records.data() + records.size();
    for (size_t k = 0; k < 1 + i % 400 && p < end; k++) FlatTable::decode(p, end);
    pieces.push_back(std::string_view(records.data() + at, p - (records.data() + at)));
    at = p - records.data();
  }
  {
    SpillFile file(dir.path().string());
    std::vector<BlockRef> refs(pieces.size());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++)
      threads.emplace_back([&, t] {
        for (size_t i = t; i < pieces.size(); i += 4) refs[i] = file.write(pieces[i], 1);
      });
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(files_in(dir), 0) << "the spill file must have no name";
    std::string back;
    for (size_t i = 0; i < refs.size(); i++) {
      std::string one;
      file.read(refs[i], one);
      EXPECT_EQ(one, pieces[i]);
      back += one;
      file.release(refs[i]);
    }
    EXPECT_EQ(records_contents(back), want);
    SpillStats st = file.stats();
    EXPECT_EQ(st.raw_bytes, i64(records.size()));
    EXPECT_EQ(st.blocks, i64(pieces.size()));
    EXPECT_GT(st.peak_disk, 0);
  }
  EXPECT_EQ(files_in(dir), 0);
}

TEST(SpillFile, AnUnwritableDirectoryIsAClearError) {
  TempDir dir;
  std::string missing = (dir / "missing").string();
  SpillFile file(missing);
  try {
    file.write("x", 1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot create a spill file in '" + missing + "'"));
    EXPECT_THAT(e.what(), HasSubstr("--temp-dir"));
  }
  EXPECT_THROW(check_temp_dir(missing), Error);
  write_file(dir / "plain", "x");
  try {
    check_temp_dir((dir / "plain").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("not a directory"));
  }
  EXPECT_NO_THROW(check_temp_dir(dir.path().string()));
}

TEST(RecordRouter, CutsByFourLowHashBitsALevel) {
  TempDir dir;
  SpillFile file(dir.path().string());
  std::string key = "x";
  for (int level : {1, 2, 3}) {
    RecordRouter router(file, level);
    for (u64 h = 0; h < 64; h++) {
      u64 hash = h << (SUB_PARTITION_BITS * (level - 1));
      std::string record(flat_record_size(1), '\0');
      encode_flat_record(record.data(), {key, hash, h + 1, 0});
      router.add(record.data(), record.size(), hash);
    }
    std::array<SpilledRun, SUB_PARTITIONS> subs = router.finish();
    for (int sub = 0; sub < SUB_PARTITIONS; sub++) {
      ASSERT_EQ(subs[sub].records, 4) << "level " << level << " sub " << sub;
      std::string records;
      for (const BlockRef& b : subs[sub].blocks) file.read(b, records);
      for_each_record(records, [&](const char*, const FlatEntry& e) {
        EXPECT_EQ(sub_partition(e.hash, level), sub);
        EXPECT_EQ(i64((e.count - 1) % SUB_PARTITIONS), sub);
      });
    }
  }
}

// Partitioned totals through spills, cuts at every level and the visit:
// combining tables of a few keys, runs spilled whenever they hold anything,
// finalize tasks too small for any partition.
TEST(PartitionedTotals, SpilledAndCutPartitionsSumToTheReference) {
  for (i64 task : {i64(0), i64(1) << 16, i64(1) << 40}) {
    SCOPED_TRACE(task);
    TempDir dir;
    MemoryBudget budget = MemoryBudget::make(1, 2, 0);
    budget.task = task;
    auto store = std::make_unique<PartitionStore>(budget, dir.path().string(), 2);
    Reference want;
    std::vector<FreqTable> tables(2);
    for (int t = 0; t < 2; t++) tables[t].flush_into(&store->new_runs(), 50, store.get());
    add_round_robin(tables, 60000, 20000, 9, want);
    // One table's last keys stay in memory, to meet the spilled ones.
    tables[0].flush();
    EXPECT_TRUE(store->spilled());
    tables[1].flush_into(&store->new_runs(), 50);
    tables[1].flush();
    Totals totals(std::move(store), 2);
    EXPECT_FALSE(totals.in_memory());
    EXPECT_EQ(totals_contents(totals), want);
    FinalizeStats st = totals.stats();
    EXPECT_GT(st.spills, 0);
    EXPECT_GT(st.partitions_spilled, 0);
    EXPECT_GE(st.passes, task == 0 ? 2 : 1);
    EXPECT_EQ(files_in(dir), 0);
  }
}

TEST(PartitionedTotals, AnOverflowIsReportedAfterTheVisit) {
  TempDir dir;
  auto store = std::make_unique<PartitionStore>(MemoryBudget::make(1, 1, 0), dir.path().string(), 1);
  FreqTable table;
  table.flush_into(&store->new_runs(), 1, store.get());
  for (int i = 0; i < 3; i++) table.add("huge", hash_key("huge"), u64(1) << 63, 1);
  Totals totals(std::move(store), 1);
  try {
    totals_contents(totals);
    FAIL() << "expected an overflow";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("total match_count of 'huge' overflows 64 bits"));
  }
}

// The external sort writes what sorting every row in memory writes,
// whatever the number of ranges, with an empty first partition and with
// rows left out by a minimum count.
TEST(ExternalSort, GivesThePlainSortWhateverTheRanges) {
  TempDir dir;
  Reference want;
  std::string records = make_records(30000, want, 4);
  // Partitions as the totals would have them: by hash.
  std::vector<FreqShard> partitions(8);
  for_each_record(records, [&](const char*, const FlatEntry& e) {
    partitions[e.hash % 8].add(e.key, e.hash, e.count, e.volumes);
  });
  for (u64 min_count : {u64(0), u64(500)}) {
    std::string expected;
    for (const auto& [key, t] : want)
      if (t.count >= min_count) expected += key + "\t" + std::to_string(t.count) + "\n";
    for (i64 range_bytes : {i64(1) << 30, i64(20000), i64(500)}) {
      for (bool empty_first : {false, true}) {
        SCOPED_TRACE(testing::Message()
                     << "min " << min_count << " range " << range_bytes << " empty first " << empty_first);
        ExternalSort sort(dir.path().string(), records.size(), range_bytes, min_count);
        if (empty_first) sort.add(FreqShard());
        for (const FreqShard& p : partitions) sort.add(p);
        if (range_bytes == 500) {
          EXPECT_GT(sort.ranges(), 50);
        }
        {
          OutputFile out((dir / "sorted.tsv").string());
          sort.write(out, RowLayout{}, 2);
          out.commit();
        }
        EXPECT_EQ(read_file(dir / "sorted.tsv"), expected);
      }
    }
  }
}
