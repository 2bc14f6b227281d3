// The full listing is split into buckets by its first two key bytes, then
// each bucket sorted on (8 key bytes, entry) pairs, so most compares are one
// integer compare in a dense array instead of a memcmp behind two pointers
// into tables of GBs (16 M --by-year rows: the pointer sort missed the cache
// on nearly every compare), and formatted in blocks in parallel, each into
// its own buffer, written in order.
#include "ngfreq/output.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace ngfreq {

namespace {

// A string sort that caches key bytes (Kärkkäinen and Rantala's caching
// MSD radix sort, 8 bytes a step): each entry carries 8 key bytes from
// `depth` on, big-endian and zero-padded, so that they compare as one
// integer as memcmp would compare them, and how many key bytes are left
// there (9: more follow). A range is sorted by that pair in a dense array;
// each run of equal pairs with more bytes to follow is sorted again on the
// next 8 bytes. A key is read once a step its neighbours share, not once a
// compare: the plain pointer sort with memcmp missed the cache on nearly
// every compare of 16 M --by-year keys, which share their first bytes
// with dozens of others (one an n-gram and year).
struct SortKey {
  u64 bytes;
  u32 left;
  const Entry* entry;
};

constexpr u32 MORE = 9;
constexpr i64 PREFETCH_AHEAD = 8;

void load_bytes(SortKey& k, u64 depth) {
  const Entry& e = *k.entry;
  u64 n = std::min<u64>(8, e.key_len - depth);
  u64 v = 0;
  std::memcpy(&v, e.key + depth, n);
  k.bytes = __builtin_bswap64(v);
  k.left = e.key_len - depth > 8 ? MORE : u32(n);
}

bool sort_key_less(const SortKey& a, const SortKey& b) {
  return a.bytes != b.bytes ? a.bytes < b.bytes : a.left < b.left;
}

// Calls f(first, last) for each run of two or more keys with equal bytes
// and more bytes to follow.
template <class F> void for_each_tied_run(SortKey* first, SortKey* last, F&& f) {
  while (first < last) {
    SortKey* run_end = first + 1;
    while (run_end < last && run_end->bytes == first->bytes && run_end->left == first->left) run_end++;
    if (first->left == MORE && run_end - first > 1) f(first, run_end);
    first = run_end;
  }
}

void sort_from(SortKey* first, SortKey* last, u64 depth);

// Sorts [first, last), whose bytes from `depth` on are loaded.
void sort_loaded(SortKey* first, SortKey* last, u64 depth) {
  std::sort(first, last, sort_key_less);
  for_each_tied_run(first, last, [&](SortKey* a, SortKey* b) { sort_from(a, b, depth + 8); });
}

// Sorts [first, last): keys whose first `depth` bytes are equal.
void sort_from(SortKey* first, SortKey* last, u64 depth) {
  for (SortKey* k = first; k < last; k++) {
    // The entries (and their keys) lie all over the table: ask for them
    // early, so that several misses overlap.
    if (last - k > 2 * PREFETCH_AHEAD) __builtin_prefetch(k[2 * PREFETCH_AHEAD].entry);
    if (last - k > PREFETCH_AHEAD) __builtin_prefetch(k[PREFETCH_AHEAD].entry->key + depth);
    load_bytes(*k, depth);
  }
  sort_loaded(first, last, depth);
}

// The first step is a radix pass on the first two key bytes: each shard's
// keys are counted into 65,536 buckets, then written straight to their
// bucket's place, and the buckets, tens to thousands of keys that fit in
// cache, are sorted in parallel. A comparison sort of the whole array (tens
// of millions of 24-byte keys) passed over DRAM some 25 times.
constexpr int RADIX_BITS = 16;
constexpr i64 BUCKETS = i64(1) << RADIX_BITS;
constexpr int SHARDS_A_GROUP = 4;  // counted together: 16 histograms of 256 KiB
constexpr int GROUPS = FreqTable::NUM_SHARDS / SHARDS_A_GROUP;

u64 bucket_of(const Entry& e) {
  u8 b0 = e.key_len > 0 ? u8(e.key[0]) : 0, b1 = e.key_len > 1 ? u8(e.key[1]) : 0;
  return u64(b0) << 8 | b1;
}

}  // namespace

void sort_by_key(std::vector<const Entry*>& entries) {
  LargeVector<SortKey> keys(entries.size());
  for (size_t i = 0; i < entries.size(); i++) load_bytes(keys[i] = {0, 0, entries[i]}, 0);
  sort_loaded(keys.data(), keys.data() + keys.size(), 0);
  for (size_t i = 0; i < entries.size(); i++) entries[i] = keys[i].entry;
}

std::vector<const Entry*> sorted_entries(const FreqTable& table, u64 min_count) {
  std::vector<const Entry*> all;
  if (table.empty()) return all;
  // Count each group of shards' keys a bucket; bucket b of group g starts
  // after bucket b of every earlier group and every earlier bucket.
  std::vector<std::vector<u32>> offsets(GROUPS, std::vector<u32>(BUCKETS, 0));
  tbb::parallel_for(0, GROUPS, [&](int g) {
    for (int s = g * SHARDS_A_GROUP; s < (g + 1) * SHARDS_A_GROUP; s++)
      for (const Entry& e : table.shard(s).entries())
        if (e.count >= min_count) offsets[g][bucket_of(e)]++;
  });
  std::vector<i64> bucket_start(BUCKETS + 1, 0);
  i64 total = 0;
  for (i64 b = 0; b < BUCKETS; b++) {
    bucket_start[b] = total;
    for (int g = 0; g < GROUPS; g++) {
      i64 n = offsets[g][b];
      if (total > i64(UINT32_MAX)) throw Error("output: more than 4 G rows to sort");  // u32 offsets
      offsets[g][b] = u32(total);
      total += n;
    }
  }
  bucket_start[BUCKETS] = total;
  LargeVector<SortKey> keys(total);
  tbb::parallel_for(0, GROUPS, [&](int g) {
    std::vector<u32>& next = offsets[g];
    for (int s = g * SHARDS_A_GROUP; s < (g + 1) * SHARDS_A_GROUP; s++)
      for (const Entry& e : table.shard(s).entries())
        if (e.count >= min_count) load_bytes(keys[next[bucket_of(e)]++] = {0, 0, &e}, 0);
  });
  tbb::parallel_for(tbb::blocked_range<i64>(0, BUCKETS, 64), [&](const tbb::blocked_range<i64>& r) {
    for (i64 b = r.begin(); b < r.end(); b++)
      if (bucket_start[b + 1] - bucket_start[b] > 1)
        sort_loaded(keys.data() + bucket_start[b], keys.data() + bucket_start[b + 1], 0);
  });
  all.resize(keys.size());
  tbb::parallel_for(size_t(0), keys.size(), [&](size_t i) { all[i] = keys[i].entry; });
  return all;
}

void write_rows(RowSink& out, const RowLayout& layout, std::span<const Entry* const> entries) {
  // Rows a block: big enough to amortise a task, small enough that a batch
  // of blocks stays a few MB. Two batches alternate: while one is written
  // (a copy into the page cache, on this thread) the other is formatted
  // on the pool, and their strings keep their memory from batch to batch,
  // so no batch faults in fresh pages.
  constexpr i64 BLOCK = 64 * 1024;
  constexpr i64 BLOCKS_IN_FLIGHT = 16;
  constexpr i64 BATCH = BLOCK * BLOCKS_IN_FLIGHT;
  i64 n = entries.size();
  std::array<std::vector<std::string>, 2> batches;
  auto format_batch = [&](i64 base, std::vector<std::string>& text) {
    i64 blocks = std::min(BLOCKS_IN_FLIGHT, (n - base + BLOCK - 1) / BLOCK);
    text.resize(blocks);
    tbb::parallel_for(i64(0), blocks, [&](i64 b) {
      i64 from = base + b * BLOCK, to = std::min(n, from + BLOCK);
      text[b].clear();
      text[b].reserve((to - from) * 32);
      for (i64 i = from; i < to; i++) {
        // Sorted rows visit the table in no order: overlap the misses.
        if (i + 2 * PREFETCH_AHEAD < to) __builtin_prefetch(entries[i + 2 * PREFETCH_AHEAD]);
        if (i + PREFETCH_AHEAD < to) __builtin_prefetch(entries[i + PREFETCH_AHEAD]->key);
        format_row(text[b], layout, entries[i]->key_view(), entries[i]->count, entries[i]->volumes);
      }
    });
  };
  if (n == 0) return;
  format_batch(0, batches[0]);
  for (i64 base = 0, k = 0; base < n; base += BATCH, k ^= 1) {
    tbb::task_group next;
    if (base + BATCH < n) next.run([&, base, k] { format_batch(base + BATCH, batches[k ^ 1]); });
    try {
      for (const std::string& t : batches[k]) out.write(t);
    } catch (...) {
      next.wait();
      throw;
    }
    next.wait();
  }
}

}  // namespace ngfreq
