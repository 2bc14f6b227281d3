// Top-K selects per shard in parallel (each shard's k best are the only
// candidates from it), then sorts the few candidates. The full listing is
// sorted with tbb::parallel_sort and formatted in blocks in parallel, each
// into its own buffer, written in order.
#include "ngfreq/output.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cstring>

namespace ngfreq {

static bool key_less(const Entry* a, const Entry* b) {
  int c = std::memcmp(a->key, b->key, std::min(a->key_len, b->key_len));
  return c != 0 ? c < 0 : a->key_len < b->key_len;
}

static bool rank_less(const Entry* a, const Entry* b) {
  if (a->count != b->count) return a->count > b->count;
  return key_less(a, b);
}

std::vector<const Entry*> top_entries(const FreqTable& table, i64 k, u64 min_count) {
  if (table.empty() || k <= 0) return {};
  std::vector<std::vector<const Entry*>> best(FreqTable::NUM_SHARDS);
  tbb::parallel_for(0, FreqTable::NUM_SHARDS, [&](int s) {
    std::vector<const Entry*>& v = best[s];
    for (const Entry& e : table.shard(s).entries())
      if (e.count >= min_count) v.push_back(&e);
    if (i64(v.size()) > k) {
      std::nth_element(v.begin(), v.begin() + k, v.end(), rank_less);
      v.resize(k);
    }
  });
  std::vector<const Entry*> all;
  for (auto& v : best) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end(), rank_less);
  if (i64(all.size()) > k) all.resize(k);
  return all;
}

std::vector<const Entry*> sorted_entries(const FreqTable& table, u64 min_count) {
  std::vector<const Entry*> all;
  if (table.empty()) return all;
  all.reserve(table.size());
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++)
    for (const Entry& e : table.shard(s).entries())
      if (e.count >= min_count) all.push_back(&e);
  tbb::parallel_sort(all.begin(), all.end(), key_less);
  return all;
}

void write_rows(OutputFile& out, const RowLayout& layout, std::span<const Entry* const> entries) {
  // Rows a block: big enough to amortise a task, small enough that a few
  // blocks in flight stay a few MB.
  constexpr i64 BLOCK = 64 * 1024;
  constexpr i64 BLOCKS_IN_FLIGHT = 16;
  i64 n = entries.size();
  for (i64 base = 0; base < n; base += BLOCK * BLOCKS_IN_FLIGHT) {
    i64 blocks = std::min(BLOCKS_IN_FLIGHT, (n - base + BLOCK - 1) / BLOCK);
    std::vector<std::string> text(blocks);
    tbb::parallel_for(i64(0), blocks, [&](i64 b) {
      i64 from = base + b * BLOCK, to = std::min(n, from + BLOCK);
      for (i64 i = from; i < to; i++)
        format_row(text[b], layout, entries[i]->key_view(), entries[i]->count, entries[i]->volumes);
    });
    for (const std::string& t : text) out.write(t);
  }
}

}  // namespace ngfreq
