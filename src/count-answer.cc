#include "ngfreq/count-answer.h"

#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>

#include "ngfreq/external-sort.h"
#include "ngfreq/hash.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/output.h"

namespace ngfreq {

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

bool rank_less(const Row& a, const Row& b) {
  if (a.count != b.count) return a.count > b.count;
  return a.key < b.key;
}

bool entry_rank_less(const Entry* a, const Entry* b) {
  if (a->count != b->count) return a->count > b->count;
  return a->key_view() < b->key_view();
}

Row row_of(const Entry& e) { return {std::string(e.key_view()), e.count, e.volumes}; }

// The K largest totals over every partition: each partition offers its own
// K best, and the pool is cut back to K whenever it doubles.
class TopRows {
 public:
  TopRows(i64 k, u64 min_count) : k_(k), min_count_(min_count) {}

  void add(const FreqShard& shard) {
    if (k_ <= 0) return;
    std::vector<const Entry*> best;
    for (const Entry& e : shard.entries())
      if (e.count >= min_count_) best.push_back(&e);
    if (i64(best.size()) > k_) {
      std::nth_element(best.begin(), best.begin() + k_, best.end(), entry_rank_less);
      best.resize(k_);
    }
    std::lock_guard lock(mutex_);
    for (const Entry* e : best) rows_.push_back(row_of(*e));
    if (i64(rows_.size()) > 2 * k_) cut();
  }

  std::vector<Row> finish() {
    cut();
    std::sort(rows_.begin(), rows_.end(), rank_less);
    return std::move(rows_);
  }

 private:
  void cut() {
    if (i64(rows_.size()) <= k_) return;
    std::nth_element(rows_.begin(), rows_.begin() + k_, rows_.end(), rank_less);
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

  void add(const FreqShard& shard) {
    if (words_.empty()) return;
    if (!by_year_) {
      for (size_t i = 0; i < words_.size(); i++)
        if (const Entry* e = shard.find(words_[i], hashes_[i])) {
          std::lock_guard lock(mutex_);
          rows_[i][0] = row_of(*e);
        }
      return;
    }
    for (const Entry& e : shard.entries()) {
      auto it = index_.find(split_year_key(e.key_view()).first);
      if (it == index_.end()) continue;
      std::lock_guard lock(mutex_);
      rows_[it->second].push_back(row_of(e));
    }
  }

  std::vector<std::vector<Row>> finish() {
    if (by_year_)
      for (std::vector<Row>& rows : rows_)
        std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
          return split_year_key(a.key).second < split_year_key(b.key).second;
        });
    return std::move(rows_);
  }

 private:
  const std::vector<std::string>& words_;
  bool by_year_;
  std::vector<u64> hashes_;
  std::unordered_map<std::string_view, size_t> index_;  // views of words_
  std::mutex mutex_;
  std::vector<std::vector<Row>> rows_;
};

}  // namespace

CountAnswer::CountAnswer() = default;
CountAnswer::CountAnswer(CountAnswer&&) noexcept = default;
CountAnswer::~CountAnswer() = default;

CountAnswer answer(Totals& totals, const AnswerRequest& request, int jobs) {
  CountAnswer out;
  out.min_count_ = request.min_count;
  out.jobs_ = jobs;
  if (request.sorted) {
    if (totals.in_memory()) {
      out.table_ = &totals.table();
    } else {
      // One range is merged in memory by each of `jobs` threads: a third of
      // a finalize task's share each leaves room for its rows' text.
      out.external_ = std::make_unique<ExternalSort>(totals.temp_dir(), totals.record_bytes(),
                                                     totals.budget().task / 3, request.min_count);
    }
  }
  WordRows words(request.words, request.by_year);
  TopRows top(request.top, request.min_count);
  std::atomic<i64> distinct{0};
  std::mutex total_mutex;
  totals.visit(
      [&](const FreqShard& shard) {
        words.add(shard);
        top.add(shard);
        u128 sum = 0;
        for (const Entry& e : shard.entries()) sum += e.count;
        distinct += shard.size();
        {
          std::lock_guard lock(total_mutex);
          out.total += sum;
        }
        if (out.external_) out.external_->add(shard);
      },
      out.external_ != nullptr);
  out.words = words.finish();
  out.top = top.finish();
  out.distinct = distinct;
  return out;
}

void CountAnswer::write_sorted(OutputFile& out, const RowLayout& layout) {
  if (external_) {
    external_->write(out, layout, jobs_);
    return;
  }
  if (!table_) throw Error("internal: rows written sorted that were not asked for sorted");
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, jobs_);
  std::vector<const Entry*> all = sorted_entries(*table_, min_count_);
  write_rows(out, layout, all);
}

SpillStats CountAnswer::sort_stats() const { return external_ ? external_->stats() : SpillStats{}; }

}  // namespace ngfreq
