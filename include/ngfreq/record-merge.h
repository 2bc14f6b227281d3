// Merging sorted spans of flat records (flat-table.h) into one sorted
// stream, and writing a sorted output range by range: what the external
// sort (external-sort.h) and the ordered reduce (ordered-runs.h) share.
#pragma once

#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/flat-table.h"

namespace ngfreq {

/// A sorted span of records being merged, and the record it is at, with its
/// first 8 key bytes as a big-endian integer, so that most compares of a
/// merge are one integer compare.
struct RecordCursor {
  std::string storage;  // the records, when the cursor owns them
  const char* next = nullptr;
  const char* end = nullptr;
  FlatEntry current{};
  u64 prefix = 0;
  bool done = true;

  /// Points the cursor at `records` and reads the first.
  void start(std::string_view records) {
    next = records.data();
    end = next + records.size();
    advance();
  }
  void advance() {
    if (next == end) {
      done = true;
      return;
    }
    done = false;
    current = FlatTable::decode(next, end);
    u64 v = 0;
    std::memcpy(&v, current.key.data(), std::min<size_t>(8, current.key.size()));
    prefix = __builtin_bswap64(v);
  }
};

/// Whether a's record sorts before b's; an exhausted cursor sorts last.
inline bool cursor_less(const RecordCursor& a, const RecordCursor& b) {
  if (a.done || b.done) return !a.done && b.done;
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  return a.current.key < b.current.key;
}

/// A tournament (loser) tree over k cursors: the next record of the merge is
/// the winner at the root, and replacing it costs log2(k) compares on the
/// path from its leaf, one a level, against the loser kept there. A binary
/// heap costs twice that; with the 1,024 pieces of a range of a spilled
/// count the merge was a quarter of the run's time.
class LoserTree {
 public:
  explicit LoserTree(std::vector<RecordCursor>& cursors);

  bool empty() const { return k_ == 0 || c_[loser_[0]].done; }
  RecordCursor& top() { return c_[loser_[0]]; }
  /// After top() advanced: replays its path to the root.
  void replay() {
    size_t winner = loser_[0];
    for (size_t n = (winner + k_) / 2; n >= 1; n /= 2)
      if (cursor_less(c_[loser_[n]], c_[winner])) std::swap(loser_[n], winner);
    loser_[0] = winner;
  }

 private:
  std::vector<RecordCursor>& c_;
  size_t k_;
  std::vector<size_t> loser_;  // loser_[0] is the overall winner
};

/// Calls f(key, count, volumes) for each key of the merge of `cursors`, in
/// key order, with the totals of a key found in several cursors summed
/// (saturating; `overflowed` is set if one saturates).
template <class F> void merge_records(std::vector<RecordCursor>& cursors, bool& overflowed, F&& f) {
  LoserTree tree(cursors);
  if (tree.empty()) return;
  FlatEntry row = tree.top().current;
  tree.top().advance();
  tree.replay();
  for (; !tree.empty(); tree.replay()) {
    RecordCursor& c = tree.top();
    if (c.current.key == row.key) {
      overflowed |= !add_count(row.count, c.current.count);
      add_count(row.volumes, c.current.volumes);
    } else {
      f(row.key, row.count, row.volumes);
      row = c.current;
    }
    c.advance();
  }
  f(row.key, row.count, row.volumes);
}

/// Runs make_text(r, text) for ranges r = 0 .. ranges - 1 on up to `jobs`
/// threads, each appending range r's text to an empty `text`, and hands
/// the texts to write() in range order, at most jobs + 1 texts in memory at
/// once (their buffers reused from range to range).
void write_ranges_in_order(i64 ranges, int jobs, const std::function<void(i64, std::string&)>& make_text,
                           const std::function<void(const std::string&)>& write);

}  // namespace ngfreq
