// Cutting plain files into partitions that map independently.
#pragma once

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
std::vector<Partition> plan_partitions(i64 file_index, i64 file_size,
                                       i64 partition_size);

/// The default partition size for `total_bytes` of plain input on `jobs`
/// workers: about 8 partitions a worker so that uneven partitions still
/// balance, clamped to [1 MiB, 32 MiB]. Below 1 MiB the per-partition cost
/// (a table and a read) starts to show; above 32 MiB the per-worker buffers
/// cost memory without speeding anything up.
i64 default_partition_size(i64 total_bytes, int jobs);

/// The lines a partition owns, read from `fd` into `buf`.
struct PartitionText {
  std::string_view text;  // whole lines; the last may lack its LF at EOF
  i64 file_offset = 0;    // offset of text[0] in the file
};

/// Reads the lines owned by `part` with pread; `buf` is reused between calls
/// so a worker's memory stays at one partition plus its last line.
PartitionText read_partition(int fd, const std::string& path, i64 file_size,
                             const Partition& part, std::vector<char>& buf);

}  // namespace ngfreq
