// The parts of a count's answer that are gathered row by row, from tables
// (FreqShard) or from rows in key order: the rows of the words asked for
// (-w), the top K (--top), the summary (distinct keys and their total) and
// the smallest key whose total overflowed. count-answer.cc gathers them
// after the count; an ordered stream (ordered-stream.h) while it maps.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ngfreq/count-answer.h"
#include "ngfreq/freq-table.h"

namespace ngfreq {

/// A row not yet copied: its key points into a table or a run.
struct RowView {
  std::string_view key;
  u64 count;
  u64 volumes;
};

/// The K largest totals over every partition or range: each offers its own
/// K best, and the pool is cut back to K whenever it doubles. Thread-safe.
class TopRows {
 public:
  TopRows(i64 k, u64 min_count) : k_(k), min_count_(min_count) {}

  bool wanted() const { return k_ > 0; }
  bool candidate(u64 count) const { return count >= min_count_; }

  void add(const FreqShard& shard);
  /// Offers `rows` (candidates of one partition or range); keeps copies.
  void add(std::vector<RowView>& rows);
  std::vector<Row> finish();

 private:
  void cut();

  i64 k_;
  u64 min_count_;
  std::mutex mutex_;
  std::vector<Row> rows_;
};

/// The rows of the words asked for: a lookup by hash in each partition, or
/// with --by-year every key whose n-gram is one of the words. Thread-safe.
class WordRows {
 public:
  WordRows(const std::vector<std::string>& words, bool by_year);

  bool wanted() const { return !words_.empty(); }
  void add(const FreqShard& shard);
  /// One row of a merge, in no particular order.
  void add(std::string_view key, u64 count, u64 volumes);
  std::vector<std::vector<Row>> finish();

 private:
  void add_row(size_t i, std::string_view key, u64 count, u64 volumes);

  const std::vector<std::string>& words_;
  bool by_year_;
  std::vector<u64> hashes_;
  std::unordered_map<std::string_view, size_t> index_;  // views of words_
  std::mutex mutex_;
  std::vector<std::vector<Row>> rows_;
};

/// Every part of an answer but the sorted rows, gathered from any number of
/// threads.
class AnswerParts {
 public:
  explicit AnswerParts(const AnswerRequest& request)
      : request_(request), words_(request.words, request.by_year), top_(request.top, request.min_count) {}

  const AnswerRequest& request() const { return request_; }
  WordRows& words() { return words_; }
  TopRows& top() { return top_; }
  void add_summary(i64 distinct, u128 total);
  /// Notes `key`, whose total saturated; finish() reports the smallest.
  void overflowed(std::string_view key);

  /// The words' rows, the top K and the summary; throws Error naming the
  /// smallest key whose total overflowed 64 bits, if any did.
  CountAnswer finish();

 private:
  const AnswerRequest& request_;
  WordRows words_;
  TopRows top_;
  std::mutex mutex_;
  i64 distinct_ = 0;
  u128 total_ = 0;
  OverflowWatch overflow_;
};

/// Rows in key order, each a key's final total, from one thread (a merged
/// range, a stretch of a run): each counts in the summary, is offered to
/// -w and --top, and, with a sorted output, is formatted into `text`.
class KeyOrderRows {
 public:
  KeyOrderRows(AnswerParts& parts, const SortedOutput* sorted, std::string& text)
      : parts_(parts), sorted_(sorted), text_(text) {}

  void add(std::string_view key, u64 count, u64 volumes);
  /// Hands the top K candidates and the summary to the parts, before the
  /// rows' storage goes.
  void finish();

 private:
  AnswerParts& parts_;
  const SortedOutput* sorted_;
  std::string& text_;
  std::vector<RowView> candidates_;  // point into the rows' storage until finish()
  i64 distinct_ = 0;
  u128 total_ = 0;
};

}  // namespace ngfreq
