// The reporter wakes a few times a second; a bar redraws in place on stderr
// with \r, plain mode prints a line a second in the textbook's words. The
// hot loops only ever do relaxed fetch_adds, once per partition.
#include "ngfreq/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace ngfreq {

// Redraws of the bar a second: smooth to the eye, negligible cost.
static constexpr auto BAR_PERIOD = std::chrono::milliseconds(200);
static constexpr auto PLAIN_PERIOD = std::chrono::seconds(1);

ProgressReporter::ProgressReporter(const ProgressCounters& counters, ProgressMode mode,
                                   std::function<void(const ProgressSnapshot&)> callback)
    : counters_(counters),
      mode_(mode),
      callback_(std::move(callback)),
      start_(std::chrono::steady_clock::now()) {
  if (mode_ == ProgressMode::callback && !callback_) mode_ = ProgressMode::none;
  if (mode_ == ProgressMode::automatic)
    mode_ = isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::none;
  if (mode_ != ProgressMode::none) thread_ = std::thread([this] { run(); });
}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  report(true);
}

void ProgressReporter::run() {
  auto period = mode_ == ProgressMode::plain
                    ? std::chrono::duration_cast<std::chrono::milliseconds>(PLAIN_PERIOD)
                    : std::chrono::duration_cast<std::chrono::milliseconds>(BAR_PERIOD);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) report(false);
}

void ProgressReporter::report(bool final) {
  i64 done = counters_.partitions_done.load(std::memory_order_relaxed);
  i64 total = counters_.partitions_total.load(std::memory_order_relaxed);
  i64 bytes = counters_.bytes_done.load(std::memory_order_relaxed);
  i64 bytes_total = counters_.bytes_total.load(std::memory_order_relaxed);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();

  if (mode_ == ProgressMode::plain) {
    fmt::print(stderr, "Finished {}/{} map operations\n", done, total);
    return;
  }
  if (mode_ == ProgressMode::callback) {
    callback_({done, total, bytes, bytes_total});
    return;
  }

  double frac = bytes_total > 0 ? std::min(1.0, double(bytes) / double(bytes_total)) : 0;
  double mbps = secs > 0 ? counters_.bytes_parsed.load(std::memory_order_relaxed) / secs / 1e6 : 0;
  // A stream's partitions are counted as they are cut: the total still grows.
  const char* growing = counters_.streams_pending.load(std::memory_order_relaxed) && !final ? "+" : "";
  std::string eta = "--";
  if (frac > 0.01 && frac < 1) eta = fmt::format("{:.0f}s", secs * (1 - frac) / frac);
  constexpr int WIDTH = 30;
  int filled = int(frac * WIDTH);
  std::string bar = std::string(filled, '#') + std::string(WIDTH - filled, '.');
  std::string line = fmt::format("[{}] {:3.0f}%  {}/{}{} partitions  {:.0f} MB/s  ETA {}", bar, frac * 100,
                                 done, total, growing, mbps, final ? "0s" : eta);
  i64 pad = std::max<i64>(0, last_line_len_ - i64(line.size()));
  fmt::print(stderr, "\r{}{}", line, std::string(pad, ' '));
  last_line_len_ = line.size();
  if (final) fmt::print(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace ngfreq
