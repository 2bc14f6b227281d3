// Cutting plain files into partitions that map independently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"

namespace ngfreq {

/// A byte range [begin, end) of one plain input file.
///
/// The invariant: a partition owns exactly the lines that *start* inside
/// [begin, end). A partition other than the file's first therefore skips to
/// the byte after the first LF at or after begin - 1, and every partition
/// reads past `end` to finish its last line. Every line belongs to exactly
/// one partition whatever the size, down to one byte; a partition may own
/// no line at all.
struct Partition {
  i64 file_index = 0;  // index into the run's list of inputs
  i64 index = 0;       // position within its file, in input order
  i64 begin = 0;
  i64 end = 0;
};

/// Cuts a file of `file_size` bytes into partitions of `partition_size`.
std::vector<Partition> plan_partitions(i64 file_index, i64 file_size, i64 partition_size);

/// The first field (up to a TAB) of the first line `part` of the file open
/// as `fd` owns; nullopt when the line is not found in a few KiB.
std::optional<std::string> first_field(int fd, const std::string& path, const Partition& part);

/// The lines of `part` of the file open as `fd`, estimated from a few
/// samples spread over it: what a partition costs to map depends more on
/// its lines than on its bytes (distributed-count.h balances ranks by it).
i64 estimated_lines(int fd, const std::string& path, const Partition& part);

/// The default partition size for `total_bytes` of input on `jobs`
/// workers: about 8 partitions a worker so that uneven partitions still
/// balance, clamped to [1 MiB, 32 MiB], or to [1 MiB, 16 MiB] when
/// `sequential` (some input is gzip or a pipe, read as a stream of chunks).
/// Below 1 MiB the per-partition cost (a table and a read) starts to show;
/// above 32 MiB the per-worker buffers cost memory without speeding
/// anything up. A stream pays once more for a large chunk: no map starts
/// before the first chunk is inflated, and the last chunk is mapped after
/// inflation ends, so the pipeline's fill and drain grow with the chunk.
///
/// Measured with `ngfreq tune -j 1,2 --repeat 3` on the generated a profile
/// (1.8 GB plain, 370 MB gzip; 2-core VM shared with other builds, medians
/// of 3 interleaved runs, min-max spreads up to 2x): plain, every size from
/// 4 MiB to 256 MiB lay within the noise and the old 32 MiB default was
/// 8.6% and 1.0% faster than the best sweep point at jobs 1 and 2; gzip,
/// 16 MiB was best at both (2.37 s, 2.39 s), 64 MiB 7-21% and 256 MiB
/// 31-79% slower, and 32 MiB 11.0% and 9.4% behind the best, so streams
/// now stop at 16 MiB.
i64 default_partition_size(i64 total_bytes, int jobs, bool sequential = false);

/// Reads the lines a partition owns in pieces of about PIECE bytes. Parsing
/// a piece right after pread copies it keeps it in L2; one big read of the
/// whole partition would have the parser fetch it from DRAM a second time.
/// Pieces hold whole lines; a line longer than a piece makes a longer piece.
class PartitionReader {
 public:
  /// 1 MiB: of 64 KiB, 256 KiB and 1 MiB, measured on 578 MB with one job
  /// (0.60, 0.58, 0.55 s), the largest was fastest: fewer syscalls, and
  /// the piece still mostly sits in L2 when the parser reaches it.
  static constexpr i64 PIECE = 1024 * 1024;

  PartitionReader(int fd, const std::string& path, i64 file_size, const Partition& part);

  /// The next whole lines, or false when the partition is done.
  bool next(std::string_view& text);

  /// File offset of the first byte next() will return.
  i64 position() const { return pos_; }

 private:
  // Reads file bytes [offset, offset + len) into buf_ at `at`; short at EOF.
  i64 read_at(i64 offset, i64 len, i64 at);

  int fd_;
  const std::string& path_;
  i64 file_size_;
  i64 end_;
  i64 pos_;
  bool done_ = false;
  std::vector<char> buf_;
};

}  // namespace ngfreq
