// Progress: lock-free counters that workers bump, and a reporter thread
// that polls them and draws a bar or prints plain lines.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "ngfreq/common.h"

namespace ngfreq {

/// The shared counters. Plain atomics of i64 that are lock-free, so the
/// process pool can place this struct in a shared anonymous mapping and its
/// workers bump it without locks.
struct ProgressCounters {
  std::atomic<i64> partitions_done{0};
  std::atomic<i64> partitions_total{0};  // grows as streams are cut
  std::atomic<i64> bytes_done{0};        // input bytes (compressed for gzip)
  std::atomic<i64> bytes_total{0};
  std::atomic<i64> bytes_parsed{0};          // inflated bytes for gzip: the rate shown
  std::atomic<bool> streams_pending{false};  // totals are still growing
};
static_assert(std::atomic<i64>::is_always_lock_free);

enum class ProgressMode {
  automatic,  // bar on a terminal, nothing otherwise
  bar,
  plain,  // "Finished 17/1443 map operations" once a second
  none,
  callback,  // a library caller's function, a few times a second
};

/// What a progress callback is told.
struct ProgressSnapshot {
  i64 partitions_done, partitions_total;
  i64 bytes_done, bytes_total;  // input bytes (compressed for gzip)
};

/// Polls the counters from its own thread until stop().
class ProgressReporter {
 public:
  ProgressReporter(const ProgressCounters& counters, ProgressMode mode,
                   std::function<void(const ProgressSnapshot&)> callback = {});
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Prints the final state and joins the thread.
  void stop();

 private:
  void run();
  void report(bool final);

  const ProgressCounters& counters_;
  ProgressMode mode_;
  std::function<void(const ProgressSnapshot&)> callback_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  i64 last_line_len_ = 0;
};

}  // namespace ngfreq
