#include "ngfreq/record-merge.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace ngfreq {

LoserTree::LoserTree(std::vector<RecordCursor>& cursors) : c_(cursors), k_(cursors.size()), loser_(k_, 0) {
  if (k_ == 0) return;
  // Leaves are nodes k .. 2k - 1; each inner node n plays the winners of
  // its children 2n and 2n + 1 and keeps the loser.
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

void write_ranges_in_order(i64 ranges, int jobs, const std::function<void(i64, std::string&)>& make_text,
                           const std::function<void(const std::string&)>& write) {
  jobs = std::max(1, jobs);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, jobs);
  // The texts' buffers go round: once written, a buffer takes a later
  // range. A range's text is several MB, which a fresh string would take
  // from mmap and fault in anew each time (and copy as it doubled).
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<std::string>> owned;
  std::vector<std::string*> idle;
  auto take = [&] {
    std::lock_guard lock(pool_mutex);
    if (idle.empty()) return owned.emplace_back(std::make_unique<std::string>()).get();
    std::string* text = idle.back();
    idle.pop_back();
    return text;
  };
  auto give_back = [&](std::string* text) {
    std::lock_guard lock(pool_mutex);
    idle.push_back(text);
  };
  i64 next = 0;
  tbb::parallel_pipeline(
      jobs + 1,
      tbb::make_filter<void, i64>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> i64 {
        if (next == ranges) {
          fc.stop();
          return 0;
        }
        return next++;
      }) & tbb::make_filter<i64, std::string*>(tbb::filter_mode::parallel, [&](i64 r) {
        std::string* text = take();
        text->clear();
        make_text(r, *text);
        return text;
      }) & tbb::make_filter<std::string*, void>(tbb::filter_mode::serial_in_order, [&](std::string* text) {
        write(*text);
        give_back(text);
      }));
}

}  // namespace ngfreq
