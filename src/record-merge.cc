#include "ngfreq/record-merge.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <memory>

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

void write_ranges_in_order(i64 ranges, int jobs, const std::function<std::string(i64)>& make_text,
                           const std::function<void(const std::string&)>& write) {
  jobs = std::max(1, jobs);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, jobs);
  i64 next = 0;
  tbb::parallel_pipeline(jobs + 1,
                         tbb::make_filter<void, i64>(tbb::filter_mode::serial_in_order,
                                                     [&](tbb::flow_control& fc) -> i64 {
                                                       if (next == ranges) {
                                                         fc.stop();
                                                         return 0;
                                                       }
                                                       return next++;
                                                     }) &
                             tbb::make_filter<i64, std::shared_ptr<std::string>>(
                                 tbb::filter_mode::parallel,
                                 [&](i64 r) { return std::make_shared<std::string>(make_text(r)); }) &
                             tbb::make_filter<std::shared_ptr<std::string>, void>(
                                 tbb::filter_mode::serial_in_order,
                                 [&](const std::shared_ptr<std::string>& text) { write(*text); }));
}

}  // namespace ngfreq
