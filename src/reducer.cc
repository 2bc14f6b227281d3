#include "ngfreq/reducer.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>

namespace ngfreq {

// Keys a combining table holds before it is flushed, when memory is
// plentiful (MemoryBudget::combine_entries): each takes a 40-byte entry, 16
// bytes of slots and its key bytes (~20 for 1- to 3-grams): 16 K keys are
// ~1.2 MB, about a core's L2, so probes for repeats hit the cache.
//
// This VM exposes no hardware cache counters (perf stat: <not supported>),
// so misses were simulated with cachegrind, -e serial, on text 3-grams of
// 10 MB of `generate -f text` (995 K distinct), 2026-12-07: this reduce
// against the tree reduce (one table a map, merged whole) took 12.8 M
// against 18.1 M L1d misses, 9.9 M against 11.4 M at a 512 KiB last level
// (this machine's L2 a core) and 1.4 M against 2.6 M at its 32 MiB L3.

Reducer::Reducer(ReduceMode mode, int fan_in, bool parallel, PartitionedSettings settings)
    : mode_(mode), fan_in_(std::max(2, fan_in)), parallel_(parallel), settings_(std::move(settings)) {
  if (mode_ == ReduceMode::partitioned)
    store_ =
        std::make_unique<PartitionStore>(settings_.budget, settings_.temp_dir, settings_.mapping_threads);
  if (mode_ == ReduceMode::ordered)
    ordered_ = std::make_unique<OrderedRuns>(settings_.budget.runs, settings_.temp_dir);
}

Reducer::ThreadState& Reducer::thread_state() {
  ThreadState& t = threads_.local();
  if (!t.runs) {
    t.runs = &store_->new_runs();
    t.table.flush_into(t.runs, settings_.budget.combine_entries, store_.get());
  }
  return t;
}

FreqTable& Reducer::combining_table() { return thread_state().table; }

void Reducer::add_flat(const FlatTable& table) {
  ThreadState& t = thread_state();
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++)
    t.runs->partition(s).append_records(table.shard_bytes(s), table.shard_entries(s));
  store_->check(*t.runs);
}

void Reducer::add_records(std::string_view records) {
  ThreadState& t = thread_state();
  for_each_record(records, [&](const char* record, const FlatEntry& e) {
    t.runs->partition(FreqTable::shard_of(e.hash)).append_record(record, flat_record_size(e.key.size()));
  });
  store_->check(*t.runs);
}

Totals Reducer::finish_ordered() {
  if (stream_) return Totals(std::move(stream_));
  ordered_->seal();
  return Totals(std::move(ordered_), settings_.jobs);
}

Totals Reducer::finish_partitioned() {
  i64 start = now_ns();
  for (ThreadState& t : threads_)
    if (t.runs) t.table.flush();
  threads_.clear();
  i64 records = store_->memory_records(), bytes = store_->memory_bytes();
  i64 need = table_bytes_bound(records, bytes) + (settings_.will_sort ? SORT_BYTES_A_RECORD * records : 0);
  Totals result;
  if (store_->spilled() || need > settings_.budget.data || !settings_.will_sort) {
    // Summed partition by partition as the output reads them: when the
    // table of every key would not fit, and whenever no sorted listing
    // needs that table whole, since building it costs more (1.7 M keys of
    // the `a` profile: 128 MB of fresh pages) than summing each partition
    // in a table that stays in cache.
    result = Totals(std::move(store_), settings_.jobs);
  } else {
    // After the map: the process executor's workers are gone, so its
    // parent may use the pool now too.
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, settings_.jobs);
    std::vector<PartitionRuns*> runs;
    for (const auto& r : store_->runs()) runs.push_back(r.get());
    result = Totals(aggregate_runs(runs, settings_.jobs > 1));
    merges_ += FreqTable::NUM_SHARDS;
    store_.reset();
  }
  merge_ns_ += now_ns() - start;
  return result;
}

FreqTable Reducer::merge_group(std::vector<FreqTable>& group) {
  i64 start = now_ns();
  // Merge into the largest table: the fewest entries have to move.
  auto largest = std::max_element(group.begin(), group.end(),
                                  [](const FreqTable& a, const FreqTable& b) { return a.size() < b.size(); });
  std::swap(*largest, group.front());
  std::vector<FreqTable*> sources;
  for (size_t i = 1; i < group.size(); i++) sources.push_back(&group[i]);
  merge_tables(group.front(), sources, parallel_);
  merges_++;
  merge_ns_ += now_ns() - start;
  return std::move(group.front());
}

void Reducer::add(FreqTable table, u64 order) {
  if (mode_ == ReduceMode::serial) {
    std::lock_guard lock(mutex_);
    in_order_.emplace_back(order, std::move(table));
    return;
  }
  if (table.empty()) return;
  for (size_t level = 0;; level++) {
    std::vector<FreqTable> group;
    {
      std::lock_guard lock(mutex_);
      if (levels_.size() <= level) levels_.resize(level + 1);
      std::vector<FreqTable>& waiting = levels_[level];
      waiting.push_back(std::move(table));
      if (i64(waiting.size()) < fan_in_) return;
      group = std::move(waiting);
      waiting.clear();
    }
    table = merge_group(group);
  }
}

Totals Reducer::finish() {
  if (mode_ == ReduceMode::partitioned) return finish_partitioned();
  if (mode_ == ReduceMode::ordered) return finish_ordered();
  std::vector<FreqTable> rest;
  if (mode_ == ReduceMode::serial) {
    std::sort(in_order_.begin(), in_order_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (in_order_.empty()) return Totals();
    // One fold in partition order, on this thread, as functools.reduce did.
    FreqTable result = std::move(in_order_.front().second);
    i64 start = now_ns();
    for (size_t i = 1; i < in_order_.size(); i++) {
      FreqTable* source = &in_order_[i].second;
      merge_tables(result, std::span(&source, 1), false);
      merges_++;
    }
    merge_ns_ += now_ns() - start;
    in_order_.clear();
    return Totals(std::move(result));
  }

  for (std::vector<FreqTable>& level : levels_)
    for (FreqTable& t : level) rest.push_back(std::move(t));
  levels_.clear();
  // Rounds of fan_in-way merges; the groups of a round run in parallel.
  while (rest.size() > 1) {
    i64 groups = (i64(rest.size()) + fan_in_ - 1) / fan_in_;
    std::vector<FreqTable> next(groups);
    auto merge_one = [&](i64 g) {
      std::vector<FreqTable> group;
      for (i64 i = g * fan_in_; i < std::min<i64>(rest.size(), (g + 1) * fan_in_); i++)
        group.push_back(std::move(rest[i]));
      next[g] = group.size() == 1 ? std::move(group.front()) : merge_group(group);
    };
    if (parallel_)
      tbb::parallel_for(i64(0), groups, merge_one);
    else
      for (i64 g = 0; g < groups; g++) merge_one(g);
    rest = std::move(next);
  }
  return rest.empty() ? Totals() : Totals(std::move(rest.front()));
}

}  // namespace ngfreq
