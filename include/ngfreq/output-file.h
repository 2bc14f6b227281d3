// An output file that appears only complete: written to a temporary file in
// the same directory, fsync'ed, then renamed over the target.
#pragma once

#include <string>
#include <string_view>

#include "ngfreq/common.h"

namespace ngfreq {

class OutputFile {
 public:
  /// Opens a temporary file beside `path`; "-" writes to standard output.
  /// Throws Error naming the path if the directory is missing or unwritable.
  explicit OutputFile(std::string path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  /// Removes the temporary file unless commit() succeeded.
  ~OutputFile();

  /// Writes all of `data`; throws Error (e.g. disk full) naming the path.
  void write(std::string_view data);
  /// Flushes, fsyncs and renames the temporary file to the target path.
  void commit();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Removes every temporary output file still open; async-signal-safe, for
/// the SIGINT/SIGTERM handler.
void remove_temporary_outputs() noexcept;

}  // namespace ngfreq
