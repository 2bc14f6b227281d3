#include "ngfreq/spill-file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace ngfreq {

namespace {

void update_max(std::atomic<i64>& max, i64 value) {
  i64 seen = max.load(std::memory_order_relaxed);
  while (value > seen && !max.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

// Every spill file of the process together, for the peak temp disk.
std::atomic<i64> process_held{0};
std::atomic<i64> process_peak{0};

std::string size_text(i64 bytes) {
  if (bytes >= (i64(1) << 30)) return fmt::format("{:.1f} GiB", bytes / double(i64(1) << 30));
  if (bytes >= (i64(1) << 20)) return fmt::format("{:.1f} MiB", bytes / double(i64(1) << 20));
  return fmt::format("{} bytes", bytes);
}

// An unlinked file in `dir`: O_TMPFILE where the file system has it, else
// a named file removed at once.
int open_unlinked(const std::string& dir) {
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return -1;
  std::string pattern = dir + "/ngfreq-spill-XXXXXX";
  fd = mkostemp(pattern.data(), O_CLOEXEC);
  if (fd >= 0) unlink(pattern.c_str());
  return fd;
}

}  // namespace

std::string default_temp_dir() {
  const char* env = std::getenv("TMPDIR");
  return env && *env ? env : "/tmp";
}

void check_temp_dir(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) throw Error(fmt::format("--temp-dir '{}': {}", dir, errno_string()));
  if (!S_ISDIR(st.st_mode)) throw Error(fmt::format("--temp-dir '{}': not a directory", dir));
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw Error(fmt::format("--temp-dir '{}': cannot create files there: {}", dir, errno_string()));
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) close(fd_);
  process_held.fetch_sub(held_.load(), std::memory_order_relaxed);
}

int SpillFile::fd() {
  int fd = fd_.load(std::memory_order_acquire);
  if (fd >= 0) return fd;
  std::lock_guard lock(open_mutex_);
  if (fd_ < 0) {
    int opened = open_unlinked(dir_);
    if (opened < 0)
      throw Error(
          fmt::format("cannot create a spill file in '{}': {} (the count needs more memory than "
                      "--memory-limit; use --temp-dir DIR or TMPDIR for a writable directory)",
                      dir_, errno_string()));
    fd_.store(opened, std::memory_order_release);
  }
  return fd_;
}

BlockRef SpillFile::write(std::string_view records, i64 count) {
  Pending one{records, count};
  return write_many(std::span(&one, 1)).front();
}

std::vector<BlockRef> SpillFile::write_many(std::span<const Pending> blocks) {
  thread_local std::string buffer;
  buffer.clear();
  std::vector<BlockRef> refs;
  i64 raw = 0;
  for (const Pending& b : blocks) {
    size_t at = buffer.size();
    encode_block(b.records, b.count, buffer);
    refs.push_back({i64(at), u32(buffer.size() - at), u32(b.records.size()), u32(b.count)});
    raw += b.records.size();
  }
  int file = fd();
  i64 offset = end_.fetch_add(buffer.size(), std::memory_order_relaxed);
  const char* p = buffer.data();
  i64 left = buffer.size(), at = offset;
  while (left > 0) {
    ssize_t n = pwrite(file, p, left, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      bool file_limit = errno == EFBIG;
      throw Error(fmt::format("cannot spill to '{}': {} (the spill needed {} more; {} were on disk{})", dir_,
                              errno_string(), size_text(left), size_text(held_.load()),
                              file_limit ? "; the file size limit, ulimit -f, stops it" : ""));
    }
    p += n;
    left -= n;
    at += n;
  }
  for (BlockRef& r : refs) r.offset += offset;
  i64 bytes = buffer.size();
  update_max(peak_, held_.fetch_add(bytes, std::memory_order_relaxed) + bytes);
  update_max(process_peak, process_held.fetch_add(bytes, std::memory_order_relaxed) + bytes);
  raw_.fetch_add(raw, std::memory_order_relaxed);
  blocks_.fetch_add(blocks.size(), std::memory_order_relaxed);
  return refs;
}

void SpillFile::read_encoded(const BlockRef& ref, std::string& out) const {
  size_t at = out.size();
  out.resize(at + ref.bytes);
  i64 done = 0;
  while (done < ref.bytes) {
    ssize_t n = pread(fd_.load(std::memory_order_acquire), out.data() + at + done, ref.bytes - done,
                      ref.offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      out.resize(at);
      throw Error(fmt::format("cannot read back the spill file in '{}': {}", dir_,
                              n == 0 ? "it is shorter than written" : errno_string()));
    }
    done += n;
  }
  read_block_header(out.data() + at, ref.bytes);
}

void SpillFile::read(const BlockRef& ref, std::string& out) const {
  thread_local std::string block;
  block.clear();
  read_encoded(ref, block);
  BlockHeader h = decode_block(block.data(), ref.bytes, out);
  if (h.raw != ref.raw || h.records != ref.records)
    throw Error("record block: read back other records than were written (a damaged temporary file?)");
}

void SpillFile::release(const BlockRef& ref) {
  // Only advice to the file system: where holes cannot be punched the space
  // is given back when the file is closed.
  fallocate(fd_.load(std::memory_order_acquire), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, ref.offset,
            ref.bytes);
  held_.fetch_sub(ref.bytes, std::memory_order_relaxed);
  process_held.fetch_sub(ref.bytes, std::memory_order_relaxed);
}

i64 peak_temp_disk() { return process_peak.load(); }

SpillStats SpillFile::stats() const { return {end_.load(), raw_.load(), blocks_.load(), peak_.load()}; }

}  // namespace ngfreq
