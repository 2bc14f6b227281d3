#include "ngfreq/external-sort.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <queue>

#include "ngfreq/flat-table.h"
#include "ngfreq/output.h"
#include "ngfreq/partition-runs.h"

namespace ngfreq {

namespace {

// Decompressed bytes a block of a piece holds at most: a range is read a
// whole piece at a time, so blocks only bound the compressor's buffers.
constexpr i64 PIECE_BLOCK_BYTES = 256 << 10;

// A piece being merged: its records, read back into one buffer, and the
// record the merge looks at.
struct Cursor {
  std::string records;
  const char* next = nullptr;
  const char* end = nullptr;
  FlatEntry current;

  bool advance() {
    if (next == end) return false;
    current = FlatTable::decode(next, end);
    return true;
  }
};

struct CursorAfter {
  bool operator()(const Cursor* a, const Cursor* b) const { return a->current.key > b->current.key; }
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
      encode_flat_record(block.data() + at, {e.key_view(), e.hash, e.count, e.volumes});
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
  std::priority_queue<Cursor*, std::vector<Cursor*>, CursorAfter> heap;
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
    if (c.advance()) heap.push(&c);
  }
  range.pieces.clear();
  std::string text;
  text.reserve(rows * 32);
  while (!heap.empty()) {
    Cursor* c = heap.top();
    heap.pop();
    format_row(text, layout, c->current.key, c->current.count, c->current.volumes);
    if (c->advance()) heap.push(c);
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
