#include "ngfreq/ordered-stream.h"

#include "ngfreq/freq-table.h"
#include "ngfreq/partition-runs.h"

namespace ngfreq {

OrderedStream::OrderedStream(const StreamTarget& target) : target_(target), parts_(target.request) {}

std::unique_ptr<OrderedRun> OrderedStream::take_run() { return idle_runs_.take(); }

void OrderedStream::finished(u64 order, std::unique_ptr<OrderedRun> run) {
  // A run out of order is sorted first: an n-gram's lines in two blocks,
  // or a shard's end and the next one's start, which then breaks the chain.
  if (!run->in_order()) run->finish();
  Piece piece;
  piece.records = run->records();
  piece.text = idle_texts_.take();
  piece.text->clear();
  if (piece.records > 0) {
    KeyOrderRows rows(parts_, &target_.sorted, *piece.text);
    i64 i = 0;
    for_each_record(run->data(), [&](const char*, const FlatEntry& e) {
      if (i == 0)
        piece.first = {std::string(e.key), e.count, e.volumes};
      else if (i == piece.records - 1)
        piece.last = {std::string(e.key), e.count, e.volumes};
      else
        rows.add(e.key, e.count, e.volumes);
      i++;
    });
    rows.finish();
  }
  run->clear();
  idle_runs_.give_back(std::move(run));
  std::lock_guard lock(mutex_);
  pieces_.emplace(order, std::move(piece));
}

void OrderedStream::write_row(const EdgeRow& row) {
  edge_text_.clear();
  KeyOrderRows rows(parts_, &target_.sorted, edge_text_);
  rows.add(row.key, row.count, row.volumes);
  rows.finish();
  target_.sorted.file.write(edge_text_);
}

void OrderedStream::write(u64 order) {
  Piece piece;
  {
    std::lock_guard lock(mutex_);
    auto it = pieces_.find(order);
    if (it == pieces_.end()) return;  // a map that did not run: the stream was broken first
    piece = std::move(it->second);
    pieces_.erase(it);
  }
  if (broken_) return;
  if (holding_ && piece.records > 0 && piece.first.key < held_.key) {
    broken_ = true;
    return;
  }
  if (piece.records > 0) {
    if (holding_ && piece.first.key == held_.key) {
      add_count(held_.count, piece.first.count);  // a saturated total stays COUNT_OVERFLOW
      add_count(held_.volumes, piece.first.volumes);
    } else {
      if (holding_) write_row(held_);
      held_ = std::move(piece.first);
      holding_ = true;
    }
    if (piece.records >= 2) {
      write_row(held_);
      target_.sorted.file.write(*piece.text);
      held_ = std::move(piece.last);
    }
  }
  idle_texts_.give_back(std::move(piece.text));
}

CountAnswer OrderedStream::finish() {
  if (holding_) write_row(held_);
  holding_ = false;
  return parts_.finish();
}

}  // namespace ngfreq
