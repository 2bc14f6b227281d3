#include "ngfreq/scan-mode.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace ngfreq {

static ScanMode mode_from_environment() {
  const char* v = std::getenv("NGFREQ_SCAN");
  return v && std::strcmp(v, "scalar") == 0 ? ScanMode::scalar : ScanMode::wide;
}

static std::atomic<ScanMode>& current_mode() {
  static std::atomic<ScanMode> mode{mode_from_environment()};
  return mode;
}

ScanMode scan_mode() { return current_mode().load(std::memory_order_relaxed); }

void set_scan_mode(ScanMode mode) { current_mode().store(mode, std::memory_order_relaxed); }

}  // namespace ngfreq
