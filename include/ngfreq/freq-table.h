// The frequency table: n-gram -> (match total, volume total), split into
// NUM_SHARDS shards by hash.
//
// Each shard is an independent open-addressing table with its own key arena,
// so two tables merge shard by shard in parallel with no locks (no two
// threads ever touch the same shard), and a later spill-to-disk or MPI
// shuffle can move a shard as a unit. Every entry keeps its hash, so merging
// and re-sharding never hash a key twice.
#pragma once

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/key-arena.h"
#include "ngfreq/large-memory.h"

namespace ngfreq {

/// One n-gram's totals. `key` points into the owning shard's arena.
struct Entry {
  const char* key;
  u64 key_len;
  u64 hash;
  u64 count;
  u64 volumes;

  std::string_view key_view() const { return {key, key_len}; }
};

/// Totals saturate here; a table that reaches it reports an overflow.
inline constexpr u64 COUNT_OVERFLOW = ~u64{0};

/// Adds b to a, saturating at COUNT_OVERFLOW; returns false on overflow.
inline bool add_count(u64& a, u64 b) {
  if (__builtin_add_overflow(a, b, &a) || a == COUNT_OVERFLOW) {
    a = COUNT_OVERFLOW;
    return false;
  }
  return true;
}

class PartitionRuns;
class PartitionStore;
class OrderedRun;

class FreqShard {
 public:
  /// Adds (count, volumes) to `key`, inserting it if absent; returns
  /// whether it was inserted.
  bool add(std::string_view key, u64 hash, u64 count, u64 volumes) {
    i64 before = entries_.size();
    Entry& e = find_or_insert(key, hash);
    overflowed_ |= !add_count(e.count, count);
    add_count(e.volumes, volumes);
    return i64(entries_.size()) != before;
  }

  /// The entry for `key`, or nullptr.
  const Entry* find(std::string_view key, u64 hash) const;

  /// Adds every entry of `other` into this shard; `other` is left empty.
  void merge_from(FreqShard& other);
  void reserve(i64 entries);
  /// Empties the shard but keeps its slot and entry memory for reuse.
  void clear();

  std::span<const Entry> entries() const { return entries_; }
  i64 size() const { return entries_.size(); }
  bool overflowed() const { return overflowed_; }
  i64 memory_bytes() const;

 private:
  Entry& find_or_insert(std::string_view key, u64 hash);
  // The entry for key, or nullptr and the empty slot where it belongs.
  Entry* probe(std::string_view key, u64 hash, u64& empty_slot);
  void grow_if_full();
  void rehash(i64 slot_count);

  // A slot holds the hash's low half << 32 | (entry index + 1); 0 marks it
  // empty. Comparing the stored hash half first avoids touching the entry on
  // a miss. The home slot comes from the hash bits just below the shard
  // bits, so keys inserted in order of those bits fill the slot array front
  // to back (see partition-runs.cc): the low half is independent of them.
  LargeVector<u64> slots_;
  LargeVector<Entry> entries_;
  KeyArena arena_;
  bool overflowed_ = false;
};

class FreqTable {
 public:
  /// 64 shards: enough parallel slack for merges on many cores, few enough
  /// that a table per tiny partition stays cheap (mold's ShardedMap uses 64).
  static constexpr int NUM_SHARDS = 64;
  static constexpr int SHARD_BITS = 6;

  static int shard_of(u64 hash) { return int(hash >> (64 - SHARD_BITS)); }

  void add(std::string_view key, u64 hash, u64 count, u64 volumes) {
    if (ordered_) return append_ordered(key, count, volumes);
    if (shards_.empty()) shards_.resize(NUM_SHARDS);
    inserted_ += shards_[shard_of(hash)].add(key, hash, count, volumes);
    if (inserted_ >= flush_at_) flush();
  }
  const Entry* find(std::string_view key) const;

  /// Makes this a combining table: once it holds `max_entries`, every entry
  /// is appended to `runs` (shard s to partition s) and the table emptied,
  /// keeping its memory; then `store`, if given, may spill the runs. `runs`
  /// and `store` must outlive the table.
  void flush_into(PartitionRuns* runs, i64 max_entries, PartitionStore* store = nullptr) {
    runs_ = runs;
    flush_at_ = max_entries;
    store_ = store;
  }
  /// Appends every entry to the runs given to flush_into and empties the table.
  void flush();

  /// Makes this a front for an ordered run (ordered-runs.h): add() appends
  /// keys to `run` in arrival order, and the table itself stays empty.
  void record_into(OrderedRun* run) { ordered_ = run; }
  bool ordered() const { return ordered_ != nullptr; }

  /// Shards are allocated on first insert, so an empty table costs nothing.
  bool empty() const { return shards_.empty(); }
  i64 size() const;
  bool overflowed() const;
  i64 memory_bytes() const;

  /// Shard i; must not be called on an empty() table.
  FreqShard& shard(int i) { return shards_[i]; }
  const FreqShard& shard(int i) const { return shards_[i]; }
  void ensure_shards() {
    if (shards_.empty()) shards_.resize(NUM_SHARDS);
  }

 private:
  std::vector<FreqShard> shards_;
  i64 inserted_ = 0;  // by add() since the last flush
  void append_ordered(std::string_view key, u64 count, u64 volumes);

  PartitionRuns* runs_ = nullptr;
  PartitionStore* store_ = nullptr;
  OrderedRun* ordered_ = nullptr;
  i64 flush_at_ = i64(1) << 62;
};

/// Merges every table of `sources` into `dest`, shard by shard; the sources
/// are left empty. With `parallel`, shards are merged by oneTBB in parallel.
void merge_tables(FreqTable& dest, std::span<FreqTable*> sources, bool parallel);

/// The smallest key whose total saturated, across threads: the error names
/// it, so that the message does not depend on scheduling.
class OverflowWatch {
 public:
  /// Notes `key`, whose total is COUNT_OVERFLOW.
  void note(std::string_view key);
  /// Notes every saturated total of `shard`.
  void check(const FreqShard& shard);
  /// Throws Error "total match_count of 'KEY' overflows 64 bits" for the
  /// smallest key noted, if any.
  void throw_if_any() const;

 private:
  std::mutex mutex_;
  std::optional<std::string> smallest_;
};

}  // namespace ngfreq
