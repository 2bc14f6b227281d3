// Appending records to partition runs, and the finalize that sums one
// partition's records into a hash table that stays in cache.
//
// A partition of a high-cardinality count holds hundreds of thousands of
// keys (16 M (n-gram, year) keys / 64 partitions = 250 K), a table of tens of
// MB: inserting its records in arrival order would miss the cache on nearly
// every probe, as the old tree merge did. So a large partition is first
// ordered by the hash bits just below the shard bits (a counting sort of
// record pointers, two sequential passes), which are the bits FreqShard
// takes its home slot from: records of one sub-bucket then probe one small
// region of the slot array, and the entries and keys they hit were appended
// moments before. SUB_BUCKET_RECORDS = 4096 records make a region of 64 KiB
// of slots plus ~160 KiB of entries and their keys, which fits a core's L2
// (1 MiB on the Zen and Xeon VMs measured here) with room for the records
// streaming through.
#include "ngfreq/partition-runs.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "ngfreq/flat-table.h"

namespace ngfreq {

namespace {

// Blocks start small, because a tiny partition must stay cheap, and double
// up to MAX_BLOCK, so that a run of GBs makes few allocations.
constexpr i64 MIN_BLOCK = 4 << 10;
constexpr i64 MAX_BLOCK = 2 << 20;

// Below this many records a partition's table is cache-sized as it is.
constexpr i64 DIRECT_RECORDS = 16 << 10;
constexpr i64 SUB_BUCKET_RECORDS = 4 << 10;
// Records a pointer ahead that the insert loop prefetches.
constexpr i64 PREFETCH_AHEAD = 8;

template <class F> void for_each_run_record(const RecordRun& run, F&& f) {
  run.for_each_block([&](std::string_view block) { for_each_record(block, f); });
}

void add_record(FreqShard& dest, const FlatEntry& e) { dest.add(e.key, e.hash, e.count, e.volumes); }

// A record of a run: written here, so its key length is right.
FlatEntry record_at(const char* p) {
  u64 key_len;
  std::memcpy(&key_len, p + 24, 8);
  const char* end = p + flat_record_size(key_len);
  return FlatTable::decode(p, end);
}

}  // namespace

char* RecordRun::reserve(i64 size) {
  if (blocks_.empty() || i64(blocks_.back().data.size()) - blocks_.back().used < size) {
    i64 capacity = blocks_.empty() ? MIN_BLOCK : std::min<i64>(MAX_BLOCK, 2 * blocks_.back().data.size());
    blocks_.push_back({LargeBuffer(std::max(capacity, size)), 0});
    capacity_ += blocks_.back().data.size();
  }
  Block& b = blocks_.back();
  char* at = b.data.data() + b.used;
  b.used += size;
  bytes_ += size;
  return at;
}

void RecordRun::append(const Entry& e) {
  encode_flat_record(reserve(flat_record_size(e.key_len)), {e.key_view(), e.hash, e.count, e.volumes});
  records_++;
}

void RecordRun::append_record(const char* record, i64 size) {
  std::memcpy(reserve(size), record, size);
  records_++;
}

void RecordRun::append_records(std::string_view records, i64 count) {
  if (records.empty()) return;
  // A block of its own, sized to fit: a spilled block read back or a worker's
  // shard is one copy, and the next append starts a fresh block.
  blocks_.push_back({LargeBuffer(records.size()), i64(records.size())});
  std::memcpy(blocks_.back().data.data(), records.data(), records.size());
  records_ += count;
  bytes_ += records.size();
  capacity_ += records.size();
}

void PartitionRuns::add_shard(int s, const FreqShard& shard) {
  for (const Entry& e : shard.entries()) parts_[s].append(e);
}

i64 PartitionRuns::bytes() const {
  i64 n = 0;
  for (const RecordRun& r : parts_) n += r.bytes();
  return n;
}

i64 PartitionRuns::records() const {
  i64 n = 0;
  for (const RecordRun& r : parts_) n += r.records();
  return n;
}

i64 PartitionRuns::capacity() const {
  i64 n = 0;
  for (const RecordRun& r : parts_) n += r.capacity();
  return n;
}

void aggregate_records(FreqShard& dest, std::span<RecordRun* const> runs) {
  i64 records = 0;
  for (const RecordRun* r : runs) records += r->records();
  if (records == 0) return;
  dest.reserve(dest.size() + records);
  if (records <= DIRECT_RECORDS) {
    for (RecordRun* r : runs)
      for_each_run_record(*r, [&](const char*, const FlatEntry& e) { add_record(dest, e); });
  } else {
    // Counting sort of the records by the sub-bucket bits.
    int bits = std::min(16, int(std::bit_width(u64(records / SUB_BUCKET_RECORDS))));
    auto bucket = [&](u64 hash) { return (hash << FreqTable::SHARD_BITS) >> (63 - bits) >> 1; };
    std::vector<i64> start((size_t(1) << bits) + 1, 0);
    for (RecordRun* r : runs)
      for_each_run_record(*r, [&](const char*, const FlatEntry& e) { start[bucket(e.hash) + 1]++; });
    for (size_t b = 1; b < start.size(); b++) start[b] += start[b - 1];
    std::vector<const char*> order(records);
    for (RecordRun* r : runs)
      for_each_run_record(
          *r, [&](const char* record, const FlatEntry& e) { order[start[bucket(e.hash)]++] = record; });
    for (i64 i = 0; i < records; i++) {
      if (i + PREFETCH_AHEAD < records) __builtin_prefetch(order[i + PREFETCH_AHEAD]);
      add_record(dest, record_at(order[i]));
    }
  }
  for (RecordRun* r : runs) r->clear();
}

void aggregate_partition(FreqShard& dest, std::span<PartitionRuns* const> runs, int s) {
  std::vector<RecordRun*> parts;
  for (PartitionRuns* r : runs) parts.push_back(&r->partition(s));
  aggregate_records(dest, parts);
}

FreqTable aggregate_runs(std::span<PartitionRuns* const> runs, bool parallel) {
  FreqTable table;
  table.ensure_shards();
  auto one = [&](int s) { aggregate_partition(table.shard(s), runs, s); };
  if (parallel)
    tbb::parallel_for(0, FreqTable::NUM_SHARDS, one);
  else
    for (int s = 0; s < FreqTable::NUM_SHARDS; s++) one(s);
  if (table.size() == 0) return FreqTable();
  return table;
}

}  // namespace ngfreq
