// Where -o and every other output of ngfreq goes: a regular file replaced
// atomically (written beside it, fsynced, renamed), a symbolic link's
// target replaced the same way, or a device, FIFO or socket written
// directly (output-file.cc says why each).
#pragma once

#include <string>
#include <string_view>

#include "ngfreq/common.h"
#include "ngfreq/row-sink.h"

namespace ngfreq {

class OutputFile : public RowSink {
 public:
  /// Opens a temporary file beside `path` (or beside the file a link at
  /// `path` names), or the device, FIFO or socket `path` is; "-" writes to
  /// standard output. Throws Error naming the path if it is a directory or
  /// block device, a read-only file, or in a missing or unwritable directory.
  explicit OutputFile(std::string path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  /// Removes the temporary file unless commit() succeeded.
  ~OutputFile() override;

  /// Writes all of `data`; throws Error (e.g. disk full) naming the path.
  void write(std::string_view data) override;
  /// A temporary file can be cut back; a direct output cannot.
  bool can_rewind() const override { return !direct(); }
  i64 position() const override { return written_; }
  void rewind(i64 position) override;
  /// Flushes, fsyncs and renames the temporary file to the target path
  /// (a direct output has nothing to commit).
  void commit();

  const std::string& path() const { return path_; }
  /// The temporary file written in place of the target (empty for a
  /// direct output), for writers that need a path of their own (SQLite).
  const std::string& temp_path() const { return temp_path_; }
  /// Whether the output is written in place (a device, FIFO, socket or
  /// standard output), so that a failed run cannot take back what it wrote.
  bool direct() const { return temp_path_.empty(); }

 private:
  enum class Kind { file, standard_output, direct, socket };
  void open_direct();

  std::string path_;
  std::string target_;       // the file the temporary replaces
  std::string temp_path_;    // empty for a direct output
  std::string direct_path_;  // a FIFO or socket opened at the first write
  Kind kind_ = Kind::file;
  int fd_ = -1;
  i64 written_ = 0;  // bytes written
  bool committed_ = false;
};

/// Removes every temporary output file still open; async-signal-safe, for
/// the SIGINT/SIGTERM handler.
void remove_temporary_outputs() noexcept;

}  // namespace ngfreq
