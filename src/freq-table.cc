// Open addressing with linear probing over a power-of-two slot array, kept at
// most half full. Entries live in a dense vector (cheap to iterate, sort and
// serialise); slots hold only an index and half the hash.
#include "ngfreq/freq-table.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <bit>
#include <cstring>

#include "ngfreq/hash.h"
#include "ngfreq/ordered-runs.h"
#include "ngfreq/partition-store.h"

namespace ngfreq {

static constexpr i64 INITIAL_SLOTS = 16;

static u64 make_slot(u64 hash, i64 index) { return (hash << 32) | u64(index + 1); }

static u64 slot_tag(u64 hash) { return u32(hash); }

// The home slot: the hash bits just below the shard bits (slot_count is a
// power of two, at least 2).
static u64 home_slot(u64 hash, u64 slot_count) {
  return (hash << FreqTable::SHARD_BITS) >> (64 - std::countr_zero(slot_count));
}

static bool same_key(const Entry& e, std::string_view key) {
  return e.key_len == key.size() && std::memcmp(e.key, key.data(), key.size()) == 0;
}

const Entry* FreqShard::find(std::string_view key, u64 hash) const {
  if (slots_.empty()) return nullptr;
  u64 mask = slots_.size() - 1;
  u64 tag = slot_tag(hash);
  for (u64 i = home_slot(hash, slots_.size());; i = (i + 1) & mask) {
    u64 slot = slots_[i];
    if (slot == 0) return nullptr;
    if ((slot >> 32) == tag) {
      const Entry& e = entries_[u32(slot) - 1];
      if (e.hash == hash && same_key(e, key)) return &e;
    }
  }
}

void FreqShard::grow_if_full() {
  if (i64(entries_.size()) * 2 >= i64(slots_.size())) rehash(std::max<i64>(INITIAL_SLOTS, slots_.size() * 2));
}

Entry* FreqShard::probe(std::string_view key, u64 hash, u64& empty_slot) {
  u64 mask = slots_.size() - 1;
  u64 tag = slot_tag(hash);
  u64 i = home_slot(hash, slots_.size());
  for (;; i = (i + 1) & mask) {
    u64 slot = slots_[i];
    if (slot == 0) break;
    if ((slot >> 32) == tag) {
      Entry& e = entries_[u32(slot) - 1];
      if (e.hash == hash && same_key(e, key)) return &e;
    }
  }
  empty_slot = i;
  return nullptr;
}

Entry& FreqShard::find_or_insert(std::string_view key, u64 hash) {
  grow_if_full();
  u64 empty_slot;
  if (Entry* e = probe(key, hash, empty_slot)) return *e;
  slots_[empty_slot] = make_slot(hash, entries_.size());
  return entries_.emplace_back(Entry{arena_.store(key), key.size(), hash, 0, 0});
}

void FreqShard::rehash(i64 slot_count) {
  LargeVector<u64> slots(slot_count, 0);
  u64 mask = slot_count - 1;
  for (i64 idx = 0; idx < i64(entries_.size()); idx++) {
    u64 i = home_slot(entries_[idx].hash, slot_count);
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = make_slot(entries_[idx].hash, idx);
  }
  slots_.swap(slots);
}

void FreqShard::reserve(i64 entries) {
  i64 want = INITIAL_SLOTS;
  while (want < entries * 2 + 1) want *= 2;
  if (want > i64(slots_.size())) rehash(want);
  // Geometric growth: a serial fold reserves a little more at every step,
  // and exact reservations would copy the whole shard every time.
  if (entries > i64(entries_.capacity())) entries_.reserve(std::max<i64>(entries, 2 * entries_.capacity()));
}

void FreqShard::clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  entries_.clear();
  arena_.clear();
  overflowed_ = false;
}

void FreqShard::merge_from(FreqShard& other) {
  if (other.entries_.empty()) return;
  if (entries_.empty()) {
    // Nothing to add to: take the other shard whole.
    std::swap(*this, other);
    return;
  }
  reserve(entries_.size() + other.entries_.size());
  // Keys new to this shard keep pointing into the other shard's arena,
  // which this shard adopts: no key bytes are copied. Keys present in both
  // leave a dead copy behind; in sorted n-gram files partitions share few
  // keys, so little is wasted.
  for (const Entry& e : other.entries_) {
    u64 empty_slot;
    if (Entry* mine = probe(e.key_view(), e.hash, empty_slot)) {
      overflowed_ |= !add_count(mine->count, e.count);
      add_count(mine->volumes, e.volumes);
    } else {
      slots_[empty_slot] = make_slot(e.hash, entries_.size());
      entries_.push_back(e);
    }
  }
  arena_.adopt(std::move(other.arena_));
  overflowed_ |= other.overflowed_;
  other = FreqShard();
}

i64 FreqShard::memory_bytes() const {
  return slots_.capacity() * sizeof(u64) + entries_.capacity() * sizeof(Entry) + arena_.allocated_bytes();
}

const Entry* FreqTable::find(std::string_view key) const {
  if (shards_.empty()) return nullptr;
  u64 hash = hash_key(key);
  return shards_[shard_of(hash)].find(key, hash);
}

void FreqTable::append_ordered(std::string_view key, u64 count, u64 volumes) {
  ordered_->add(key, count, volumes);
}

void FreqTable::flush() {
  inserted_ = 0;
  if (shards_.empty()) return;
  for (int s = 0; s < NUM_SHARDS; s++) {
    runs_->add_shard(s, shards_[s]);
    shards_[s].clear();
  }
  if (store_) store_->check(*runs_);
}

i64 FreqTable::size() const {
  i64 n = 0;
  for (const FreqShard& s : shards_) n += s.size();
  return n;
}

bool FreqTable::overflowed() const {
  for (const FreqShard& s : shards_)
    if (s.overflowed()) return true;
  return false;
}

i64 FreqTable::memory_bytes() const {
  i64 n = 0;
  for (const FreqShard& s : shards_) n += s.memory_bytes();
  return n;
}

void merge_tables(FreqTable& dest, std::span<FreqTable*> sources, bool parallel) {
  bool any = false;
  for (FreqTable* t : sources) any |= !t->empty();
  if (!any) return;
  dest.ensure_shards();
  auto merge_shard = [&](int s) {
    for (FreqTable* t : sources)
      if (!t->empty()) dest.shard(s).merge_from(t->shard(s));
  };
  if (parallel)
    tbb::parallel_for(0, FreqTable::NUM_SHARDS, merge_shard);
  else
    for (int s = 0; s < FreqTable::NUM_SHARDS; s++) merge_shard(s);
  for (FreqTable* t : sources) *t = FreqTable();
}

void OverflowWatch::note(std::string_view key) {
  std::lock_guard lock(mutex_);
  if (!smallest_ || key < *smallest_) smallest_ = std::string(key);
}

void OverflowWatch::check(const FreqShard& shard) {
  if (!shard.overflowed()) return;
  for (const Entry& e : shard.entries())
    if (e.count == COUNT_OVERFLOW) note(e.key_view());
}

void OverflowWatch::throw_if_any() const {
  if (smallest_) throw Error(fmt::format("total match_count of '{}' overflows 64 bits", *smallest_));
}

}  // namespace ngfreq
