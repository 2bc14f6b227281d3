// The finalize of partitioned totals: each hash partition is summed into a
// table, handed to the visitor, and emptied for the thread's next
// partition (freed, once records were spilled), `jobs` partitions at a
// time, so the finalize holds at most `jobs` tables of one partition each,
// never one of every key.
//
// A partition's records are its runs still in memory plus what was spilled
// of it. When they would not fit a task's share of the memory limit (their
// table and sort estimated as if every key were distinct), the partition is
// cut by the next 4 hash bits and each piece finalized on its own, the
// spilled records on their way through the cut written to disk again: a
// pass more over those records for every level. A cut that leaves every
// record in one piece (many records of a few keys, or the test build that
// hashes every key to 0) cannot help, so that piece is summed as it is.
#include "ngfreq/totals.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "ngfreq/hash.h"
#include "ngfreq/ordered-stream.h"
#include "ngfreq/partition-store.h"

namespace ngfreq {

namespace {

// The records of one partition or sub-partition.
struct Source {
  std::vector<RecordRun*> memory;                  // runs of the mapping threads
  std::vector<std::unique_ptr<RecordRun>> routed;  // in-memory records cut from a larger source
  SpilledRun disk;
  int level = 0;

  i64 records() const {
    i64 n = disk.records;
    for (const RecordRun* r : memory) n += r->records();
    for (const auto& r : routed) n += r->records();
    return n;
  }
  i64 bytes() const {
    i64 n = disk.bytes;
    for (const RecordRun* r : memory) n += r->bytes();
    for (const auto& r : routed) n += r->bytes();
    return n;
  }
};

}  // namespace

struct Totals::Finalizer {
  Finalizer(PartitionStore& s, const std::function<void(const FreqShard&)>& f) : store(s), visit(f) {}

  PartitionStore& store;
  const std::function<void(const FreqShard&)>& visit;
  OverflowWatch overflow;
  // The deepest level whose sub-partitions were written to disk by a cut.
  std::atomic<int> disk_level{0};
  // Each thread sums its partitions into one table, emptied but not freed
  // in between: its memory is faulted in once, not once a partition (on
  // this project's VM a fresh huge page cost more than the sums put in it).
  // Not once records are spilled or cut: then a partition's table and the
  // next one's records must not both be held.
  tbb::enumerable_thread_specific<FreqShard> tables;
  std::atomic<i64> summing_ns{0};  // busy in aggregate_records, all threads
  std::atomic<i64> summed{0};      // (sub-)partitions aggregated

  void shard(int s) {
    Source whole;
    for (const auto& runs : store.runs())
      if (runs->partition(s).records() > 0) whole.memory.push_back(&runs->partition(s));
    bool spilled = false;
    for (int sub = 0; sub < SUB_PARTITIONS; sub++) spilled |= !store.spilled(s, sub).empty();
    if (!spilled) {
      source(whole);
      return;
    }
    // Part of this partition is on disk, cut into level-1 sub-partitions:
    // cut what is in memory the same way, and finalize sub by sub.
    std::array<Source, SUB_PARTITIONS> subs = cut_memory(whole, 1);
    for (int sub = 0; sub < SUB_PARTITIONS; sub++) {
      subs[sub].disk = std::move(store.spilled(s, sub));
      source(subs[sub]);
    }
  }

  void source(Source& src) {
    const MemoryBudget& budget = store.budget();
    i64 records = src.records();
    if (records == 0) return;
    i64 need = src.disk.bytes + table_bytes_bound(records, src.bytes()) + SORT_BYTES_A_RECORD * records;
    if (need <= budget.task || src.level >= MAX_SUB_LEVEL) {
      aggregate(src);
      return;
    }
    tables.local() = FreqShard();  // the cut's copies need its memory
    std::array<Source, SUB_PARTITIONS> subs = cut(src);
    for (Source& sub : subs) {
      if (sub.records() == records) {
        aggregate(sub);  // the cut put everything in one piece: no cut will help
        return;
      }
    }
    for (Source& sub : subs) source(sub);
  }

  // Cuts the in-memory records of `src` into sub-partitions of `level`,
  // freeing src's blocks as they are copied.
  static std::array<Source, SUB_PARTITIONS> cut_memory(Source& src, int level) {
    std::array<Source, SUB_PARTITIONS> subs;
    for (Source& sub : subs) {
      sub.level = level;
      sub.routed.push_back(std::make_unique<RecordRun>());
    }
    auto route = [&](RecordRun& run) {
      run.consume_blocks([&](std::string_view block) {
        for_each_record(block, [&](const char* record, const FlatEntry& e) {
          subs[sub_partition(e.hash, level)].routed[0]->append_record(record, flat_record_size(e.key.size()));
        });
      });
    };
    for (RecordRun* r : src.memory) route(*r);
    for (auto& r : src.routed) route(*r);
    src.memory.clear();
    src.routed.clear();
    return subs;
  }

  std::array<Source, SUB_PARTITIONS> cut(Source& src) {
    int level = src.level + 1;
    int seen = disk_level.load();
    while (!src.disk.empty() && level > seen && !disk_level.compare_exchange_weak(seen, level)) {
    }
    std::array<Source, SUB_PARTITIONS> subs = cut_memory(src, level);
    RecordRouter router(store.file(), level);
    std::string records;
    for (const BlockRef& b : src.disk.blocks) {
      records.clear();
      store.file().read(b, records);
      store.file().release(b);
      router.add_block(records);
    }
    src.disk = SpilledRun();
    std::array<SpilledRun, SUB_PARTITIONS> disk = router.finish();
    for (int sub = 0; sub < SUB_PARTITIONS; sub++) subs[sub].disk = std::move(disk[sub]);
    return subs;
  }

  void aggregate(Source& src) {
    auto loaded = std::make_unique<RecordRun>();
    std::string records;
    for (const BlockRef& b : src.disk.blocks) {
      records.clear();
      store.file().read(b, records);
      store.file().release(b);
      loaded->append_records(records, b.records);
    }
    src.disk = SpilledRun();
    std::vector<RecordRun*> runs = src.memory;
    for (auto& r : src.routed) runs.push_back(r.get());
    runs.push_back(loaded.get());
    // A thread's table is reused only where the budget has room for it:
    // no records came back from disk and no partition was cut.
    FreqShard fresh;
    FreqShard& table = !store.spilled() && src.level == 0 ? tables.local() : fresh;
    table.clear();
    i64 start = now_ns();
    aggregate_records(table, runs);
    summing_ns += now_ns() - start;
    summed++;
    loaded.reset();
    src.routed.clear();
    if (table.size() == 0) return;
    overflow.check(table);
    visit(table);
  }
};

Totals::Totals() = default;
Totals::Totals(FreqTable table) : table_(std::move(table)) {}
Totals::Totals(std::unique_ptr<PartitionStore> store, int jobs) : store_(std::move(store)), jobs_(jobs) {
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++)
    for (int sub = 0; sub < SUB_PARTITIONS; sub++) partitions_spilled_ += !store_->spilled(s, sub).empty();
}
Totals::Totals(std::unique_ptr<OrderedRuns> runs, int jobs) : ordered_(std::move(runs)), jobs_(jobs) {}
Totals::Totals(std::unique_ptr<OrderedStream> stream) : stream_(std::move(stream)) {}
Totals::Totals(Totals&&) noexcept = default;
Totals& Totals::operator=(Totals&&) noexcept = default;
Totals::~Totals() = default;

void Totals::visit(const std::function<void(const FreqShard&)>& f) {
  if (stream_) throw Error("internal: totals written as they were counted cannot be visited");
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, jobs_);
  if (in_memory()) {
    if (table_.empty()) return;
    OverflowWatch overflow;
    tbb::parallel_for(
        0, FreqTable::NUM_SHARDS,
        [&](int s) {
          overflow.check(table_.shard(s));
          if (table_.shard(s).size() > 0) f(table_.shard(s));
        },
        tbb::simple_partitioner());
    overflow.throw_if_any();
    return;
  }
  if (ordered_) return visit_ordered(f);
  Finalizer fin{*store_, f};
  tbb::parallel_for(
      0, FreqTable::NUM_SHARDS, [&](int s) { fin.shard(s); }, tbb::simple_partitioner());
  max_level_ = fin.disk_level;
  summing_ns_ = fin.summing_ns;
  partitions_summed_ = fin.summed;
  fin.overflow.throw_if_any();
}

// Rows a range of ordered runs is merged into one table for the visitor.
static constexpr i64 ORDERED_RANGE_ROWS = 64 << 10;

void Totals::visit_ordered(const std::function<void(const FreqShard&)>& f) {
  std::vector<std::string> splitters = ordered_->splitters(ORDERED_RANGE_ROWS);
  OverflowWatch overflow;
  tbb::parallel_for(
      size_t(0), splitters.size() + 1,
      [&](size_t r) {
        FreqShard shard;
        ordered_->merge_range(splitters, r, [&](std::string_view key, u64 count, u64 volumes) {
          shard.add(key, hash_key(key), count, volumes);
        });
        if (shard.size() == 0) return;
        overflow.check(shard);
        f(shard);
      },
      tbb::simple_partitioner());
  overflow.throw_if_any();
}

i64 Totals::record_bytes() const { return store_ ? store_->memory_bytes() + store_->spilled_bytes() : 0; }

const MemoryBudget& Totals::budget() const {
  static const MemoryBudget none;
  return store_ ? store_->budget() : none;
}

const std::string& Totals::temp_dir() const {
  static const std::string none = default_temp_dir();
  return store_ ? store_->file().dir() : none;
}

FinalizeStats Totals::stats() const {
  FinalizeStats st;
  if (ordered_) {
    st.spills = ordered_->spills();
    st.passes = st.spills > 0 ? 1 : 0;
    st.disk = ordered_->file().stats();
    return st;
  }
  if (!store_) return st;
  st.summing_seconds = summing_ns_ * 1e-9;
  st.partitions_summed = partitions_summed_;
  st.partitions_spilled = partitions_spilled_;
  st.spills = store_->spills();
  // The spill wrote level 1; each deeper cut of spilled records, one more.
  st.passes = store_->spilled() ? std::max(1, max_level_) : 0;
  st.disk = store_->file().stats();
  return st;
}

}  // namespace ngfreq
