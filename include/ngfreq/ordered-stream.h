// The sorted listing (-o) of one sorted file, written while the file is
// mapped, so that a count of any number of keys holds a few partitions'
// rows, never all of them.
//
// A sorted file's partitions, in input order, hold runs of keys that chain:
// each run is in key order, and its first key is not below the last key of
// the run before (they are equal when an n-gram's lines straddle the cut).
// So every row of a run but its first and last is final: no other run can
// hold its key. The map thread formats those rows as soon as its run is
// done and gives the run back for the next map; the executor then hands the
// runs over in input order (write()), and each run's first row is summed
// with the last row of the run before when their keys are equal, or
// written. Only the first and last rows of each run wait.
//
// Whether the runs chain is known only as they come. A run out of order is
// sorted first (an n-gram's lines in two blocks stay within one run); a run
// starting below the run before it breaks the stream. The rows written so
// far are then taken back (RowSink::rewind), the maps still to come are
// skipped, and the count runs again without a stream (count.cc): the work
// up to the break is done twice. Google's own files are concatenations of
// sorted shards, each spanning the alphabet, so they break at the end of
// their first shard; files sorted whole (as `ngfreq generate` writes them,
// or `LC_ALL=C sort`) stream.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ngfreq/answer-parts.h"
#include "ngfreq/ordered-runs.h"

namespace ngfreq {

/// What a count that may stream its sorted rows is asked for: the answer's
/// parts and where the rows go.
struct StreamTarget {
  const AnswerRequest& request;
  const SortedOutput& sorted;
};

class OrderedStream {
 public:
  explicit OrderedStream(const StreamTarget& target);

  /// True once the runs failed to chain: the count must start again.
  bool broken() const { return broken_; }

  /// An empty run to map into, from the runs given back; thread-safe.
  std::unique_ptr<OrderedRun> take_run();
  /// After the map at `order`: formats the run's final rows, keeps its
  /// first and last, and takes the run back; thread-safe.
  void finished(u64 order, std::unique_ptr<OrderedRun> run);
  /// In input order, once for every map after finished(): joins the map's
  /// rows to the rows before them and writes them.
  void write(u64 order);

  /// After the last write(): writes the last row; the words' rows, top K
  /// and summary. Throws Error if a total overflowed 64 bits.
  CountAnswer finish();

 private:
  struct EdgeRow {
    std::string key;
    u64 count = 0;
    u64 volumes = 0;
  };
  // What one map leaves to be written.
  struct Piece {
    i64 records = 0;
    EdgeRow first, last;                // last is set when records >= 2
    std::unique_ptr<std::string> text;  // the rows between them, formatted
  };

  // Runs and texts given back, whose memory (already faulted in) serves
  // the next map rather than fresh pages.
  template <class T> class IdlePool {
   public:
    std::unique_ptr<T> take() {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) return std::make_unique<T>();
      std::unique_ptr<T> item = std::move(idle_.back());
      idle_.pop_back();
      return item;
    }
    void give_back(std::unique_ptr<T> item) {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(item));
    }

   private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> idle_;
  };

  void write_row(const EdgeRow& row);

  const StreamTarget& target_;
  AnswerParts parts_;
  std::atomic<bool> broken_{false};
  std::mutex mutex_;
  std::map<u64, Piece> pieces_;  // finished, not yet written
  IdlePool<OrderedRun> idle_runs_;
  IdlePool<std::string> idle_texts_;
  // The writer's, in input order:
  bool holding_ = false;
  EdgeRow held_;  // the last row so far, which the next run may continue
  std::string edge_text_;
};

}  // namespace ngfreq
