// Types and error classes shared by every part of ngfreq.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace ngfreq {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
using u8 = std::uint8_t;

/// A data or I/O failure: the CLI prints the message and exits 1.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "path:line: reason", the way every message names a line; standard input
/// is named <stdin>.
std::string line_message(const std::string& path, i64 line, const std::string& reason);

/// Bad input data, located in a file. what() reads "path:line: reason" (or
/// "path: byte N: reason" where line numbers make no sense).
class InputError : public Error {
 public:
  InputError(const std::string& path, i64 line, const std::string& reason);
  InputError(const std::string& path, const std::string& where, const std::string& reason);

  /// The parts of the message, for callers that are not a terminal (the
  /// Python module's exception carries them).
  const std::string& path() const { return path_; }
  /// The 1-based line, or 0 when the place is a byte offset (where()).
  i64 line() const { return line_; }
  const std::string& where() const { return where_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string path_, where_, reason_;
  i64 line_ = 0;
};

/// A count stopped by its caller (CountOptions::cancel).
class Cancelled : public Error {
 public:
  Cancelled() : Error("the count was cancelled") {}
};

/// Bad command-line usage: the CLI prints the message and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Nanoseconds on the monotonic clock, for busy-time accounting.
inline i64 now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The error message of the current errno, as strerror gives it.
std::string errno_string();

/// The first bytes of a small system file (/sys, /proc), or "" if it cannot
/// be read. Plain open and read: it must work with no descriptor to spare.
std::string read_system_file(const char* path);

}  // namespace ngfreq
