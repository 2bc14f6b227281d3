// Partition planning and reading. A partition is read with pread into a
// reused buffer rather than mmap'ed: resident memory then stays at one
// buffer a worker instead of growing with the file (mapped pages count in
// RSS), and the copy out of the page cache costs about what page faults
// would.
#include "ngfreq/partition.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ngfreq {

std::vector<Partition> plan_partitions(i64 file_index, i64 file_size, i64 partition_size) {
  std::vector<Partition> parts;
  if (partition_size < 1) partition_size = 1;
  for (i64 begin = 0, i = 0; begin < file_size; begin += partition_size, i++)
    parts.push_back({file_index, i, begin, std::min(file_size, begin + partition_size)});
  return parts;
}

i64 default_partition_size(i64 total_bytes, int jobs) {
  constexpr i64 MIN_SIZE = 1 << 20;
  constexpr i64 MAX_SIZE = 32 << 20;
  constexpr i64 PARTITIONS_PER_JOB = 8;
  i64 size = total_bytes / (PARTITIONS_PER_JOB * std::max(jobs, 1));
  return std::clamp(size, MIN_SIZE, MAX_SIZE);
}

// Reads [offset, offset + len) of the file into buf at buf_pos; returns the
// bytes read (short only at end of file).
static i64 pread_full(int fd, const std::string& path, char* dst, i64 len, i64 offset) {
  i64 done = 0;
  while (done < len) {
    ssize_t n = pread(fd, dst + done, len - done, offset + done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("{}: read failed at byte {}: {}", path, offset + done,
                              std::strerror(errno)));
    }
    if (n == 0) break;
    done += n;
  }
  return done;
}

PartitionText read_partition(int fd, const std::string& path, i64 file_size,
                             const Partition& part, std::vector<char>& buf) {
  // Start one byte early to see whether `begin` starts a line.
  i64 start = part.begin > 0 ? part.begin - 1 : 0;
  // Read a little past `end`: usually enough to finish the last line.
  i64 slack = std::clamp<i64>(part.end - part.begin, 256, 64 * 1024);
  i64 want = std::min(file_size, part.end + slack) - start;
  if (i64(buf.size()) < want) buf.resize(want);
  i64 have = pread_full(fd, path, buf.data(), want, start);

  // The first owned line starts after the first LF at or after begin - 1.
  i64 first = 0;
  if (part.begin > 0) {
    // Only an LF at file offsets begin-1 .. end-2 starts a line before end.
    i64 search = std::min(have, part.end - part.begin);
    const char* nl = static_cast<const char*>(std::memchr(buf.data(), '\n', search));
    if (!nl) return {{}, part.end};
    first = nl - buf.data() + 1;
  }

  // The last owned line is the one containing byte end - 1; find its LF,
  // reading further while it is not in the buffer.
  i64 scan_from = std::max<i64>(first, part.end - 1 - start);
  for (;;) {
    const char* nl = static_cast<const char*>(
        std::memchr(buf.data() + scan_from, '\n', have - scan_from));
    if (nl) {
      i64 last = nl - buf.data() + 1;
      return {std::string_view(buf.data() + first, last - first), start + first};
    }
    if (start + have >= file_size)
      return {std::string_view(buf.data() + first, have - first), start + first};
    // A line longer than the slack: grow geometrically.
    scan_from = have;
    i64 more = std::min<i64>(std::max<i64>(have, 64 * 1024), file_size - start - have);
    buf.resize(have + more);
    i64 n = pread_full(fd, path, buf.data() + have, more, start + have);
    if (n == 0) return {std::string_view(buf.data() + first, have - first), start + first};
    have += n;
  }
}

}  // namespace ngfreq
