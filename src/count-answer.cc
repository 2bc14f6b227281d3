#include "ngfreq/count-answer.h"

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "ngfreq/external-sort.h"
#include "ngfreq/hash.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/output.h"
#include "ngfreq/record-merge.h"

namespace ngfreq {

void sort_by_year(std::vector<Row>& rows) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return split_year_key(a.key).second < split_year_key(b.key).second;
  });
}

std::string u128_string(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), char('0' + int(v % 10)));
    v /= 10;
  }
  return s;
}

namespace {

// A row not yet copied: its key points into a table or a run.
struct RowView {
  std::string_view key;
  u64 count;
  u64 volumes;
};

// The K largest totals over every partition or range: each offers its own
// K best, and the pool is cut back to K whenever it doubles.
class TopRows {
 public:
  TopRows(i64 k, u64 min_count) : k_(k), min_count_(min_count) {}

  bool wanted() const { return k_ > 0; }
  bool candidate(u64 count) const { return count >= min_count_; }

  void add(const FreqShard& shard) {
    if (!wanted()) return;
    // Pointers first: a shard of a high-cardinality count holds hundreds of
    // thousands of entries, and only k of them become rows.
    std::vector<const Entry*> best;
    for (const Entry& e : shard.entries())
      if (candidate(e.count)) best.push_back(&e);
    if (i64(best.size()) > k_) {
      std::nth_element(best.begin(), best.begin() + k_, best.end(), [](const Entry* a, const Entry* b) {
        return rank_less(RowView{a->key_view(), a->count, 0}, RowView{b->key_view(), b->count, 0});
      });
      best.resize(k_);
    }
    std::vector<RowView> rows;
    for (const Entry* e : best) rows.push_back({e->key_view(), e->count, e->volumes});
    add(rows);
  }

  /// Offers `rows` (candidates of one partition or range); keeps copies.
  void add(std::vector<RowView>& rows) {
    if (i64(rows.size()) > k_) {
      std::nth_element(rows.begin(), rows.begin() + k_, rows.end(), rank_less<RowView>);
      rows.resize(k_);
    }
    std::lock_guard lock(mutex_);
    for (const RowView& r : rows) rows_.push_back({std::string(r.key), r.count, r.volumes});
    if (i64(rows_.size()) > 2 * k_) cut();
  }

  std::vector<Row> finish() {
    cut();
    std::sort(rows_.begin(), rows_.end(), rank_less<Row>);
    return std::move(rows_);
  }

 private:
  void cut() {
    if (i64(rows_.size()) <= k_) return;
    std::nth_element(rows_.begin(), rows_.begin() + k_, rows_.end(), rank_less<Row>);
    rows_.resize(k_);
  }

  i64 k_;
  u64 min_count_;
  std::mutex mutex_;
  std::vector<Row> rows_;
};

// The rows of the words asked for: a lookup by hash in each partition, or
// with --by-year every key whose n-gram is one of the words.
class WordRows {
 public:
  WordRows(const std::vector<std::string>& words, bool by_year) : words_(words), by_year_(by_year) {
    rows_.resize(words.size());
    for (size_t i = 0; i < words.size(); i++) {
      hashes_.push_back(hash_key(words[i]));
      index_.emplace(words[i], i);
      if (!by_year) rows_[i].push_back({words[i], 0, 0});
    }
  }

  bool wanted() const { return !words_.empty(); }

  void add(const FreqShard& shard) {
    if (!wanted()) return;
    if (!by_year_) {
      for (size_t i = 0; i < words_.size(); i++)
        if (const Entry* e = shard.find(words_[i], hashes_[i]))
          add_row(i, e->key_view(), e->count, e->volumes);
      return;
    }
    for (const Entry& e : shard.entries()) add(e.key_view(), e.count, e.volumes);
  }

  /// One row of a merge, in no particular order.
  void add(std::string_view key, u64 count, u64 volumes) {
    auto it = index_.find(by_year_ ? split_year_key(key).first : key);
    if (it != index_.end()) add_row(it->second, key, count, volumes);
  }

  std::vector<std::vector<Row>> finish() {
    if (by_year_)
      for (std::vector<Row>& rows : rows_) sort_by_year(rows);
    return std::move(rows_);
  }

 private:
  void add_row(size_t i, std::string_view key, u64 count, u64 volumes) {
    std::lock_guard lock(mutex_);
    if (by_year_)
      rows_[i].push_back({std::string(key), count, volumes});
    else
      rows_[i][0] = {std::string(key), count, volumes};
  }

  const std::vector<std::string>& words_;
  bool by_year_;
  std::vector<u64> hashes_;
  std::unordered_map<std::string_view, size_t> index_;  // views of words_
  std::mutex mutex_;
  std::vector<std::vector<Row>> rows_;
};

// The summary: distinct keys and the sum of their totals.
class Summary {
 public:
  void add(i64 distinct, u128 total) {
    std::lock_guard lock(mutex_);
    distinct_ += distinct;
    total_ += total;
  }
  i64 distinct() const { return distinct_; }
  u128 total() const { return total_; }

 private:
  std::mutex mutex_;
  i64 distinct_ = 0;
  u128 total_ = 0;
};

// Rows of ordered runs merged in one key range.
constexpr i64 ORDERED_RANGE_ROWS = 256 << 10;

// The ordered runs' answer: the merge, range by range, feeds every part of
// the answer and, in order, the sorted output.
void answer_ordered(const OrderedRuns& runs, const AnswerRequest& request, int jobs,
                    const SortedOutput* sorted, WordRows& words, TopRows& top, Summary& summary) {
  std::vector<std::string> splitters = runs.splitters(ORDERED_RANGE_ROWS);
  std::mutex overflow_mutex;
  std::optional<std::string> smallest_overflow;
  auto merge_range = [&](i64 r, std::string& text) {
    std::vector<RowView> candidates;
    i64 distinct = 0;
    u128 total = 0;
    runs.merge_range(splitters, r, [&](std::string_view key, u64 count, u64 volumes) {
      distinct++;
      total += count;
      if (count == COUNT_OVERFLOW) {
        std::lock_guard lock(overflow_mutex);
        if (!smallest_overflow || key < *smallest_overflow) smallest_overflow = std::string(key);
      }
      if (words.wanted()) words.add(key, count, volumes);
      if (top.wanted() && top.candidate(count)) candidates.push_back({key, count, volumes});
      if (sorted && count >= request.min_count) format_row(text, sorted->layout, key, count, volumes);
    });
    // Candidates point into this range's blocks: copied before they go.
    if (!candidates.empty()) top.add(candidates);
    summary.add(distinct, total);
  };
  write_ranges_in_order(splitters.size() + 1, jobs, merge_range, [&](const std::string& text) {
    if (sorted) sorted->file.write(text);
  });
  if (smallest_overflow)
    throw Error(fmt::format("total match_count of '{}' overflows 64 bits", *smallest_overflow));
}

}  // namespace

CountAnswer answer(Totals& totals, const AnswerRequest& request, int jobs, const SortedOutput* sorted) {
  CountAnswer out;
  WordRows words(request.words, request.by_year);
  TopRows top(request.top, request.min_count);
  Summary summary;
  if (const OrderedRuns* runs = totals.ordered_runs()) {
    answer_ordered(*runs, request, jobs, sorted, words, top, summary);
  } else {
    std::unique_ptr<ExternalSort> external;
    if (sorted && !totals.in_memory()) {
      // One range is merged in memory by each of `jobs` threads: a third of
      // a finalize task's share each leaves room for its rows' text.
      external = std::make_unique<ExternalSort>(totals.temp_dir(), totals.record_bytes(),
                                                totals.budget().task / 3, request.min_count);
    }
    totals.visit([&](const FreqShard& shard) {
      words.add(shard);
      top.add(shard);
      if (request.summary) {
        u128 sum = 0;
        for (const Entry& e : shard.entries()) sum += e.count;
        summary.add(shard.size(), sum);
      }
      if (external) external->add(shard);
    });
    if (external) {
      external->write(sorted->file, sorted->layout, jobs);
      out.sort_spill = external->stats();
    } else if (sorted) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, jobs);
      std::vector<const Entry*> all = sorted_entries(totals.table(), request.min_count);
      write_rows(sorted->file, sorted->layout, all);
    }
  }
  out.words = words.finish();
  out.top = top.finish();
  out.distinct = summary.distinct();
  out.total = summary.total();
  return out;
}

}  // namespace ngfreq
