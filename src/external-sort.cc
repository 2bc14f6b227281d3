#include "ngfreq/external-sort.h"

#include <algorithm>
#include <cstring>

#include "ngfreq/flat-table.h"
#include "ngfreq/output.h"
#include "ngfreq/partition-runs.h"
#include "ngfreq/record-merge.h"

namespace ngfreq {

namespace {

// Decompressed bytes a block of a piece holds at most: a range is read a
// whole piece at a time, so blocks only bound the compressor's buffers.
constexpr i64 PIECE_BLOCK_BYTES = 256 << 10;

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
  {
    // The first partition with rows to get here sets the splitters; the
    // others wait for them.
    std::lock_guard lock(split_mutex_);
    if (sorted.empty()) return;
    if (!split_) choose_splitters(sorted);
  }

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
  std::vector<RecordCursor> cursors(range.pieces.size());
  i64 rows = 0;
  for (size_t p = 0; p < range.pieces.size(); p++) {
    RecordCursor& c = cursors[p];
    for (const BlockRef& b : range.pieces[p]) {
      file_.read(b, c.storage);
      file_.release(b);
      rows += b.records;
    }
    c.start(c.storage);
  }
  range.pieces.clear();
  std::string text;
  text.reserve(rows * 32);
  bool overflowed = false;  // no key is in two pieces: nothing is summed
  merge_records(cursors, overflowed, [&](std::string_view key, u64 count, u64 volumes) {
    format_row(text, layout, key, count, volumes);
  });
  return text;
}

void ExternalSort::write(OutputFile& out, const RowLayout& layout, int jobs) {
  write_ranges_in_order(
      ranges_.size(), jobs, [&](i64 r) { return merge_range(*ranges_[r], layout); },
      [&](const std::string& text) { out.write(text); });
}

}  // namespace ngfreq
