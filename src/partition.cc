// Partition planning and reading. A partition is read with pread in
// L2-sized pieces rather than mmap'ed: resident memory stays at one piece a
// worker instead of growing with the file (mapped pages count in RSS), and
// measured on the 2-core VM, mmap + munmap per partition was 30% slower
// with one worker and twice as slow with two (TLB shootdowns).
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

i64 default_partition_size(i64 total_bytes, int jobs, bool sequential) {
  // Smaller costs a table and a read per partition (64 KiB ran 1.3-3.7x slower).
  constexpr i64 MIN_SIZE = 1 << 20;
  // Larger only costs memory for plain files (4..256 MiB all within noise).
  constexpr i64 MAX_SIZE = 32 << 20;
  // Larger lengthens a stream's fill and drain (gzip: 32 MiB 9-11% behind
  // 16 MiB, 64 MiB 7-21%); see partition.h for the measurements.
  constexpr i64 MAX_SEQUENTIAL_SIZE = 16 << 20;
  // Enough partitions a worker that one slow partition does not idle the rest.
  constexpr i64 PARTITIONS_PER_JOB = 8;
  // Rounded up: rounded down, the remainder became one more, tiny partition
  // that ran alone after the rest (17 partitions for 2 jobs).
  i64 parts = PARTITIONS_PER_JOB * std::max(jobs, 1);
  i64 size = (total_bytes + parts - 1) / parts;
  return std::clamp(size, MIN_SIZE, sequential ? MAX_SEQUENTIAL_SIZE : MAX_SIZE);
}

// Reads [offset, offset + len) of the file into buf at buf_pos; returns the
// bytes read (short only at end of file).
static i64 pread_full(int fd, const std::string& path, char* dst, i64 len, i64 offset) {
  i64 done = 0;
  while (done < len) {
    ssize_t n = pread(fd, dst + done, len - done, offset + done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("{}: read failed at byte {}: {}", path, offset + done, std::strerror(errno)));
    }
    if (n == 0) break;
    done += n;
  }
  return done;
}

i64 estimated_lines(int fd, const std::string& path, const Partition& part) {
  // 4 x 16 KiB: 0.2% of a 32 MiB partition. On the 1-gram `a` file the
  // 32 MiB partitions hold from 1.08 M to 1.83 M lines.
  constexpr i64 SAMPLES = 4, SAMPLE_BYTES = 16 << 10;
  i64 size = part.end - part.begin;
  i64 len = std::min(SAMPLE_BYTES, size);
  std::string sample(len, '\0');
  i64 sampled = 0, lines = 0;
  for (i64 i = 0; i < SAMPLES; i++) {
    i64 got = pread_full(fd, path, sample.data(), len, part.begin + (size - len) * i / (SAMPLES - 1));
    sampled += got;
    lines += std::count(sample.data(), sample.data() + got, '\n');
  }
  return sampled > 0 ? lines * size / sampled : 0;
}

std::optional<std::string> first_field(int fd, const std::string& path, const Partition& part) {
  // As PartitionReader: the first owned line starts after the first LF at
  // begin - 1 .. end - 2 (or at 0), and may run past the end.
  constexpr i64 PEEK_BYTES = 4 << 10;
  i64 from = part.begin > 0 ? part.begin - 1 : 0;
  std::string text(PEEK_BYTES, '\0');
  text.resize(pread_full(fd, path, text.data(), PEEK_BYTES, from));
  size_t line = 0;
  if (part.begin > 0) {
    line = text.find('\n');
    if (line == std::string::npos || i64(line) > part.end - 2 - from) return std::nullopt;
    line++;
  }
  size_t end = text.find_first_of("\t\n", line);
  if (end == std::string::npos) return std::nullopt;
  return text.substr(line, end - line);
}

// Bytes read past a small partition's end: enough for a typical last line.
static constexpr i64 SMALL_SLACK = 256;

PartitionReader::PartitionReader(int fd, const std::string& path, i64 file_size, const Partition& part)
    : fd_(fd), path_(path), file_size_(file_size), end_(part.end), pos_(part.begin) {
  if (part.begin == 0) return;
  // The first owned line starts after the first LF at begin - 1 .. end - 2.
  for (i64 q = part.begin - 1; q < part.end - 1;) {
    i64 len = std::min(PIECE, part.end - 1 - q);
    buf_.resize(len);
    i64 got = read_at(q, len, 0);
    const char* nl = static_cast<const char*>(std::memchr(buf_.data(), '\n', got));
    if (nl) {
      pos_ = q + (nl - buf_.data()) + 1;
      return;
    }
    if (got < len) break;
    q += len;
  }
  pos_ = part.end;
  done_ = true;
}

i64 PartitionReader::read_at(i64 offset, i64 len, i64 at) {
  return pread_full(fd_, path_, buf_.data() + at, len, offset);
}

bool PartitionReader::next(std::string_view& text) {
  if (done_ || pos_ >= end_ || pos_ >= file_size_) return false;
  i64 have = 0;
  i64 last_line = end_ - 1 - pos_;  // index of byte end - 1 in the buffer
  // A small partition reads its own span and a little more; a large one a
  // piece at a time. Each retry (a line longer than what was read) doubles.
  i64 want = std::min(PIECE, end_ - pos_ + SMALL_SLACK);
  for (;; want = std::max(want, have)) {
    if (i64(buf_.size()) < have + want) buf_.resize(have + want);
    i64 got = read_at(pos_ + have, want, have);
    i64 from = have;
    have += got;
    bool eof = pos_ + have >= file_size_;
    const char* base = buf_.data();
    if (have > last_line) {
      // The piece reaches the partition's last line: end after its LF.
      i64 scan = std::max(from, last_line);
      const char* nl = static_cast<const char*>(std::memchr(base + scan, '\n', have - scan));
      if (nl || eof) {
        i64 cut = nl ? nl - base + 1 : have;
        text = std::string_view(base, cut);
        pos_ += cut;
        done_ = true;
        return true;
      }
    } else {
      const char* nl = static_cast<const char*>(memrchr(base, '\n', have));
      if (nl || eof) {
        i64 cut = nl ? nl - base + 1 : have;
        text = std::string_view(base, cut);
        pos_ += cut;
        done_ = eof && !nl;
        return cut > 0;
      }
    }
    if (got == 0)  // the file shrank under us: its bytes are not those that were planned
      throw InputError(path_, fmt::format("byte {}", pos_ + have),
                       fmt::format("the file shrank while it was read (it had {} bytes when the count began)",
                                   file_size_));
  }
}

}  // namespace ngfreq
