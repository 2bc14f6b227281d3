#include "ngfreq/stream-chunker.h"

#include <algorithm>
#include <cstring>

namespace ngfreq {

ChunkBuffer BufferPool::take(i64 capacity) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < free_.size(); i++) {
    if (free_[i].capacity >= capacity) {
      ChunkBuffer buf = std::move(free_[i]);
      free_.erase(free_.begin() + i);
      buf.size = 0;
      return buf;
    }
  }
  return allocate(capacity);
}

ChunkBuffer BufferPool::allocate(i64 capacity) const {
  ChunkBuffer buf;
  buf.capacity = capacity;
  if (shared_) {
    buf.memfd = detail::make_memfd("ngfreq-chunk", capacity);
    buf.shared = detail::Mapping(buf.memfd.get(), capacity, true);
  } else {
    buf.heap = std::make_unique_for_overwrite<char[]>(capacity);
  }
  return buf;
}

void BufferPool::give_back(ChunkBuffer buf) {
  std::lock_guard lock(mutex_);
  free_.push_back(std::move(buf));
}

StreamChunker::StreamChunker(ByteSource& source, i64 chunk_size, BufferPool& pool)
    : source_(source), chunk_size_(std::max<i64>(chunk_size, 1)), pool_(pool) {}

static void grow(ChunkBuffer& buf, i64 capacity, const BufferPool& pool) {
  ChunkBuffer bigger = pool.allocate(capacity);
  std::memcpy(bigger.data(), buf.data(), buf.size);
  bigger.size = buf.size;
  buf = std::move(bigger);
}

bool StreamChunker::next(ChunkBuffer& out, i64& stream_offset) {
  if (eof_ && carry_.empty()) return false;
  // Room for the chunk plus a typical line past it, so that the cut point
  // rarely needs a second read. The carry can be longer than a chunk: the
  // start of a line longer than the chunk size.
  out = pool_.take(std::max<i64>(chunk_size_, carry_.size()) + 4096);
  // Guarded: an empty vector's data() may be null, and memcpy forbids it.
  if (!carry_.empty()) std::memcpy(out.data(), carry_.data(), carry_.size());
  out.size = carry_.size();
  carry_.clear();
  stream_offset = offset_;

  i64 cut = -1;  // one past the last LF
  for (;;) {
    while (!eof_ && out.size < chunk_size_) {
      i64 n = source_.read(out.data() + out.size, out.capacity - out.size);
      if (n == 0) eof_ = true;
      out.size += n;
    }
    const char* base = out.data();
    const char* nl = static_cast<const char*>(memrchr(base, '\n', out.size));
    if (nl) {
      cut = nl - base + 1;
      break;
    }
    if (eof_) {
      cut = out.size;  // the last line has no LF
      break;
    }
    // A line longer than the chunk: read on until it ends.
    if (out.size == out.capacity) grow(out, out.capacity * 2, pool_);
    i64 n = source_.read(out.data() + out.size, out.capacity - out.size);
    if (n == 0) eof_ = true;
    out.size += n;
  }
  carry_.assign(out.data() + cut, out.data() + out.size);
  out.size = cut;
  offset_ += cut;
  if (out.size == 0) {
    pool_.give_back(std::move(out));
    return false;
  }
  return true;
}

}  // namespace ngfreq
