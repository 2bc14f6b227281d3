// The one temporary file of a count that spills: record blocks
// (record-block.h) appended by any thread at offsets reserved atomically,
// read back by reference, and their disk space given back (a punched hole)
// once read for the last time.
//
// The file is created unlinked (O_TMPFILE, or mkstemp and an immediate
// unlink where the file system lacks it), so it disappears on every way out
// of the process: success, error, SIGINT, SIGKILL, a crash. No cleanup code
// has to run, and no name is ever left in the temp directory.
//
// One file for every partition rather than a file a partition: a partition's
// blocks are read back by reference anyway, each one or more MB, so they
// need not be adjacent; and one descriptor cannot run into `ulimit -n`, where
// hundreds of sub-partition files could.
#pragma once

#include <atomic>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/record-block.h"

namespace ngfreq {

/// Where a block lies in the spill file.
struct BlockRef {
  i64 offset = 0;
  u32 bytes = 0;    // header and payload
  u32 raw = 0;      // its records' bytes, decompressed
  u32 records = 0;  // how many
};

/// What a count's spilling cost, for --stats.
struct SpillStats {
  i64 bytes_written = 0;  // compressed, headers included
  i64 raw_bytes = 0;      // the records before compression
  i64 blocks = 0;
  i64 peak_disk = 0;  // the most the file held at once
};

class SpillFile {
 public:
  /// Nothing is created until the first write: a count that never spills
  /// touches no disk.
  explicit SpillFile(std::string dir) : dir_(std::move(dir)) {}
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// Compresses `records` (`count` flat records) into a block and appends
  /// it; thread-safe. Throws Error naming the directory on a full disk.
  BlockRef write(std::string_view records, i64 count);

  /// Records of one block to come, for write_many().
  struct Pending {
    std::string_view records;
    i64 count;
  };
  /// Writes several blocks with one system call, side by side; their
  /// references in the same order. For many small blocks (the pieces of an
  /// external sort) a write a block cost more than their compression.
  std::vector<BlockRef> write_many(std::span<const Pending> blocks);

  /// Appends the records of block `ref` to `out`; thread-safe.
  void read(const BlockRef& ref, std::string& out) const;
  /// Appends block `ref` as it is stored, still compressed (record-block.h:
  /// what an MPI shuffle sends); thread-safe.
  void read_encoded(const BlockRef& ref, std::string& out) const;

  /// Gives the block's disk space back; it must not be read again.
  void release(const BlockRef& ref);

  const std::string& dir() const { return dir_; }
  SpillStats stats() const;

 private:
  int fd();

  std::string dir_;
  std::mutex open_mutex_;
  std::atomic<int> fd_{-1};
  std::atomic<i64> end_{0};  // next free offset
  std::atomic<i64> held_{0};
  std::atomic<i64> peak_{0};
  std::atomic<i64> raw_{0};
  std::atomic<i64> blocks_{0};
};

/// The most every spill file of this process held on disk at once.
i64 peak_temp_disk();

/// The directory a count spills to: --temp-dir, else $TMPDIR, else /tmp.
std::string default_temp_dir();

/// Throws Error unless `dir` is a directory this process can create files
/// in; for a --temp-dir given explicitly, checked before any work.
void check_temp_dir(const std::string& dir);

}  // namespace ngfreq
