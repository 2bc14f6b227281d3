#include "ngfreq/external-sort.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <cstring>

#include "ngfreq/flat-table.h"
#include "ngfreq/output.h"
#include "ngfreq/partition-runs.h"

namespace ngfreq {

namespace {

// Decompressed bytes a block of a piece holds at most: a range is read a
// whole piece at a time, so blocks only bound the compressor's buffers.
constexpr i64 PIECE_BLOCK_BYTES = 256 << 10;

// A piece being merged: its records, read back into one buffer, and the
// record the merge looks at, with its first 8 key bytes as a big-endian
// integer, so that most compares of the merge are one integer compare.
struct Cursor {
  std::string records;
  const char* next = nullptr;
  const char* end = nullptr;
  FlatEntry current;
  u64 prefix = 0;
  bool done = false;

  void advance() {
    if (next == end) {
      done = true;
      return;
    }
    current = FlatTable::decode(next, end);
    u64 v = 0;
    std::memcpy(&v, current.key.data(), std::min<size_t>(8, current.key.size()));
    prefix = __builtin_bswap64(v);
  }
};

// Whether a's record sorts before b's; an exhausted cursor sorts last.
bool cursor_less(const Cursor& a, const Cursor& b) {
  if (a.done || b.done) return !a.done && b.done;
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  return a.current.key < b.current.key;
}

// A tournament (loser) tree over k cursors: the next record of the merge
// is the winner at the root, and replacing it costs log2(k) compares on
// the path from its leaf, one per level, against the loser kept there. A
// binary heap costs twice that; with the 1,024 pieces of a range of a
// spilled count the merge was a quarter of the run's time.
class LoserTree {
 public:
  explicit LoserTree(std::vector<Cursor>& cursors) : c_(cursors), k_(cursors.size()), loser_(k_, 0) {
    if (k_ == 0) return;
    // Build bottom-up: winner_of(node) plays its two children.
    std::vector<size_t> winner(2 * k_);
    for (size_t i = 0; i < k_; i++) winner[k_ + i] = i;
    for (size_t n = k_ - 1; n >= 1; n--) {
      size_t a = winner[2 * n], b = winner[2 * n + 1];
      bool a_wins = cursor_less(c_[a], c_[b]);
      winner[n] = a_wins ? a : b;
      loser_[n] = a_wins ? b : a;
    }
    loser_[0] = winner[1];
  }

  bool empty() const { return k_ == 0 || c_[loser_[0]].done; }
  Cursor& top() { return c_[loser_[0]]; }

  /// After top() advanced: replays its path to the root.
  void replay() {
    size_t winner = loser_[0];
    for (size_t n = (winner + k_) / 2; n >= 1; n /= 2)
      if (cursor_less(c_[loser_[n]], c_[winner])) std::swap(loser_[n], winner);
    loser_[0] = winner;
  }

 private:
  std::vector<Cursor>& c_;
  size_t k_;
  std::vector<size_t> loser_;  // loser_[0] is the overall winner
};

}  // namespace

ExternalSort::ExternalSort(std::string temp_dir, i64 record_bytes, i64 range_bytes, u64 min_count)
    : file_(std::move(temp_dir)),
      record_bytes_(record_bytes),
      range_bytes_(std::max<i64>(1, range_bytes)),
      min_count_(min_count) {}

void ExternalSort::choose_splitters(const std::vector<const Entry*>& sorted) {
  i64 want = std::max<i64>(1, (record_bytes_ + range_bytes_ - 1) / range_bytes_);
  i64 n = sorted.size();
  i64 ranges = std::min(want, n + 1);
  for (i64 r = 1; r < ranges; r++) {
    std::string_view key = sorted[r * n / ranges]->key_view();
    if (splitters_.empty() || key > splitters_.back()) splitters_.emplace_back(key);
  }
  for (size_t r = 0; r <= splitters_.size(); r++) ranges_.push_back(std::make_unique<Range>());
  split_ = true;
}

void ExternalSort::add(const FreqShard& partition) {
  std::vector<const Entry*> sorted;
  sorted.reserve(partition.size());
  for (const Entry& e : partition.entries())
    if (e.count >= min_count_) sorted.push_back(&e);
  sort_by_key(sorted);
  if (!split_) choose_splitters(sorted);

  std::string block;
  size_t i = 0;
  for (size_t r = 0; r < ranges_.size() && i < sorted.size(); r++) {
    Piece piece;
    i64 count = 0;
    auto write_block = [&] {
      piece.push_back(file_.write(block, count));
      block.clear();
      count = 0;
    };
    for (; i < sorted.size() && (r == splitters_.size() || sorted[i]->key_view() < splitters_[r]); i++) {
      const Entry& e = *sorted[i];
      size_t at = block.size();
      block.resize(at + flat_record_size(e.key_len));
      // Hash 0: nothing hashes a sorted row again, and 8 random bytes a
      // record would cost LZ4 a third of its ratio.
      encode_flat_record(block.data() + at, {e.key_view(), 0, e.count, e.volumes});
      count++;
      if (i64(block.size()) >= PIECE_BLOCK_BYTES) write_block();
    }
    if (count > 0) write_block();
    if (piece.empty()) continue;
    std::lock_guard lock(ranges_[r]->mutex);
    ranges_[r]->pieces.push_back(std::move(piece));
  }
}

std::string ExternalSort::merge_range(Range& range, const RowLayout& layout) {
  std::vector<Cursor> cursors(range.pieces.size());
  i64 rows = 0;
  for (size_t p = 0; p < range.pieces.size(); p++) {
    Cursor& c = cursors[p];
    for (const BlockRef& b : range.pieces[p]) {
      file_.read(b, c.records);
      file_.release(b);
      rows += b.records;
    }
    c.next = c.records.data();
    c.end = c.next + c.records.size();
    c.advance();
  }
  range.pieces.clear();
  std::string text;
  text.reserve(rows * 32);
  for (LoserTree tree(cursors); !tree.empty(); tree.replay()) {
    Cursor& c = tree.top();
    format_row(text, layout, c.current.key, c.current.count, c.current.volumes);
    c.advance();
  }
  return text;
}

void ExternalSort::write(OutputFile& out, const RowLayout& layout, int jobs) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::max(1, jobs));
  size_t next = 0;
  tbb::parallel_pipeline(
      std::max(1, jobs) + 1,
      tbb::make_filter<void, Range*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> Range* {
                                       if (next == ranges_.size()) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       return ranges_[next++].get();
                                     }) &
          tbb::make_filter<Range*, std::shared_ptr<std::string>>(
              tbb::filter_mode::parallel,
              [&](Range* r) { return std::make_shared<std::string>(merge_range(*r, layout)); }) &
          tbb::make_filter<std::shared_ptr<std::string>, void>(
              tbb::filter_mode::serial_in_order,
              [&](const std::shared_ptr<std::string>& text) { out.write(*text); }));
}

}  // namespace ngfreq
