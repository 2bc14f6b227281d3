// Helpers shared by the fuzz targets: reading options out of the fuzzer's
// bytes, a file descriptor holding bytes, and the check that ends a run
// with a report (libFuzzer saves the input that got there).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ngfreq/formats.h"

namespace ngfreq::fuzz {

/// The fuzzer's bytes, consumed from the front: a few option bytes, then
/// the input itself.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  /// The next byte, 0 once the bytes run out.
  uint8_t byte() {
    if (rest_.empty()) return 0;
    uint8_t b = rest_.front();
    rest_.remove_prefix(1);
    return b;
  }
  uint32_t u16() { return byte() | uint32_t(byte()) << 8; }
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

/// Parser options from one byte of flags and one of n-gram order.
inline MapOptions map_options(FuzzInput& in) {
  uint8_t flags = in.byte();
  MapOptions opts;
  static constexpr TagFilter tags[] = {TagFilter::keep, TagFilter::drop, TagFilter::only, TagFilter::keep};
  opts.keys.tags = tags[flags & 3];
  opts.keys.ignore_case = flags & 4;
  opts.keys.by_year = flags & 8;
  opts.on_error = flags & 16 ? OnError::skip : OnError::fail;
  if (flags & 32) opts.years = YearFilter{1800, 1990};
  opts.tokenizer = flags & 64 ? Tokenizer::word : Tokenizer::whitespace;
  opts.ngram = 1 + in.byte() % 5;
  return opts;
}

/// Fails the run, naming what did not hold.
inline void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

/// An anonymous in-memory file holding `bytes`, for the readers that take a
/// path or a descriptor. Closed when it goes out of scope.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view bytes) : fd_(memfd_create("ngfreq-fuzz", 0)) {
    check(fd_ >= 0, "memfd_create");
    for (size_t done = 0; done < bytes.size();) {
      ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
      check(n > 0, "write to memfd");
      done += n;
    }
  }
  ~MemoryFile() { close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  int fd() const { return fd_; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

}  // namespace ngfreq::fuzz
