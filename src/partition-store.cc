#include "ngfreq/partition-store.h"

#include <algorithm>

namespace ngfreq {

void SpilledRun::add(const BlockRef& b) {
  blocks.push_back(b);
  records += b.records;
  bytes += b.raw;
}

void SpilledRun::append(SpilledRun&& other) {
  blocks.insert(blocks.end(), other.blocks.begin(), other.blocks.end());
  records += other.records;
  bytes += other.bytes;
  other = SpilledRun();
}

void RecordRouter::add(const char* record, i64 size, u64 hash) {
  int sub = sub_partition(hash, level_);
  buffers_[sub].append(record, size);
  buffered_records_[sub]++;
  if (i64(buffers_[sub].size()) >= SPILL_BLOCK_BYTES) write(sub);
}

void RecordRouter::add_block(std::string_view records) {
  for_each_record(records, [&](const char* record, const FlatEntry& e) {
    add(record, flat_record_size(e.key.size()), e.hash);
  });
}

void RecordRouter::write(int sub) {
  if (buffers_[sub].empty()) return;
  out_[sub].add(file_.write(buffers_[sub], buffered_records_[sub]));
  buffers_[sub].clear();
  buffered_records_[sub] = 0;
}

std::array<SpilledRun, SUB_PARTITIONS> RecordRouter::finish() {
  for (int sub = 0; sub < SUB_PARTITIONS; sub++) write(sub);
  return std::move(out_);
}

PartitionStore::PartitionStore(const MemoryBudget& budget, std::string temp_dir, int mapping_threads)
    : budget_(budget),
      thread_share_(budget.runs / std::max(1, mapping_threads)),
      file_(std::move(temp_dir)) {}

PartitionRuns& PartitionStore::new_runs() {
  std::lock_guard lock(mutex_);
  runs_.push_back(std::make_unique<PartitionRuns>());
  return *runs_.back();
}

void PartitionStore::spill(PartitionRuns& runs) {
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++) {
    RecordRun& run = runs.partition(s);
    if (run.records() == 0) continue;
    RecordRouter router(file_, 1);
    run.consume_blocks([&](std::string_view block) { router.add_block(block); });
    std::array<SpilledRun, SUB_PARTITIONS> subs = router.finish();
    std::lock_guard lock(spilled_mutex_[s]);
    for (int sub = 0; sub < SUB_PARTITIONS; sub++) spilled_[s][sub].append(std::move(subs[sub]));
  }
  spills_++;
}

i64 PartitionStore::memory_records() const {
  i64 n = 0;
  for (const auto& r : runs_) n += r->records();
  return n;
}

i64 PartitionStore::memory_bytes() const {
  i64 n = 0;
  for (const auto& r : runs_) n += r->bytes();
  return n;
}

i64 PartitionStore::spilled_records() const {
  i64 n = 0;
  for (const auto& subs : spilled_)
    for (const SpilledRun& r : subs) n += r.records;
  return n;
}

i64 PartitionStore::spilled_bytes() const {
  i64 n = 0;
  for (const auto& subs : spilled_)
    for (const SpilledRun& r : subs) n += r.bytes;
  return n;
}

}  // namespace ngfreq
