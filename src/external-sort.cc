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

  // Every row of the partition in the flat format (hash 0: nothing hashes
  // a sorted row again, and 8 random bytes a record would cost LZ4 a third
  // of its ratio), cut into blocks per range, written with one call.
  struct Span {
    size_t begin, end;
    i64 count;
    size_t range;
  };
  std::string records;
  std::vector<Span> spans;
  size_t i = 0;
  for (size_t r = 0; r < ranges_.size() && i < sorted.size(); r++) {
    Span span{records.size(), 0, 0, r};
    for (; i < sorted.size() && (r == splitters_.size() || sorted[i]->key_view() < splitters_[r]); i++) {
      const Entry& e = *sorted[i];
      append_flat_record(records, {e.key_view(), 0, e.count, e.volumes});
      span.count++;
      if (i64(records.size() - span.begin) >= PIECE_BLOCK_BYTES) {
        span.end = records.size();
        spans.push_back(span);
        span = {records.size(), 0, 0, r};
      }
    }
    if (span.count > 0) {
      span.end = records.size();
      spans.push_back(span);
    }
  }
  std::vector<SpillFile::Pending> blocks;
  for (const Span& b : spans)
    blocks.push_back({std::string_view(records).substr(b.begin, b.end - b.begin), b.count});
  std::vector<BlockRef> refs = file_.write_many(blocks);
  for (size_t b = 0; b < refs.size();) {
    size_t r = spans[b].range;
    Piece piece;
    for (; b < refs.size() && spans[b].range == r; b++) piece.push_back(refs[b]);
    std::lock_guard lock(ranges_[r]->mutex);
    ranges_[r]->pieces.push_back(std::move(piece));
  }
}

void ExternalSort::merge_range(Range& range, const RowLayout& layout, std::string& text) {
  std::vector<RecordCursor> cursors(range.pieces.size());
  i64 rows = 0;
  for (size_t p = 0; p < range.pieces.size(); p++) {
    RecordCursor& c = cursors[p];
    for (const BlockRef& b : range.pieces[p]) {
      // Not released block by block: a punched hole a block cost as much as
      // compressing it, and the file goes as a whole when the output is done.
      file_.read(b, c.storage);
      rows += b.records;
    }
    c.start(c.storage);
  }
  range.pieces.clear();
  text.reserve(rows * 32);
  bool overflowed = false;  // no key is in two pieces: nothing is summed
  merge_records(cursors, overflowed, [&](std::string_view key, u64 count, u64 volumes) {
    format_row(text, layout, key, count, volumes);
  });
}

void ExternalSort::write(RowSink& out, const RowLayout& layout, int jobs) {
  write_ranges_in_order(
      ranges_.size(), jobs, [&](i64 r, std::string& text) { merge_range(*ranges_[r], layout, text); },
      [&](const std::string& text) { out.write(text); });
}

}  // namespace ngfreq
