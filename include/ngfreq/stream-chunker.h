// Cuts a sequential byte source (gzip, a pipe) into line-aligned chunks of
// about the partition size, the streaming counterpart of plan_partitions.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "ngfreq/byte-source.h"
#include "ngfreq/common.h"
#include "ngfreq/shared-memory.h"

namespace ngfreq {

/// A chunk's bytes, not zero-filled on allocation (inflate overwrites
/// them): heap memory, or a memory file mapped shared, which the process
/// executor's workers map in turn, so that no chunk is copied to them.
struct ChunkBuffer {
  std::unique_ptr<char[]> heap;
  detail::UniqueFd memfd;  // shared: the memory file...
  detail::Mapping shared;  // ...and its mapping in this process
  i64 size = 0;
  i64 capacity = 0;

  char* data() const { return memfd ? shared.data() : heap.get(); }
};

/// Buffers are recycled: allocating 32 MiB a chunk would fault fresh pages
/// in for every chunk of a multi-gigabyte stream.
class BufferPool {
 public:
  /// From now on, new buffers are memory files. For the process executor,
  /// before any buffer is taken.
  void use_shared_memory() { shared_ = true; }
  ChunkBuffer take(i64 capacity);
  void give_back(ChunkBuffer buf);
  /// A new buffer of the pool's kind (not one of its free buffers).
  ChunkBuffer allocate(i64 capacity) const;

 private:
  std::mutex mutex_;
  std::vector<ChunkBuffer> free_;
  bool shared_ = false;
};

class StreamChunker {
 public:
  StreamChunker(ByteSource& source, i64 chunk_size, BufferPool& pool);

  /// Fills `out` with the next whole lines, at least chunk_size bytes unless
  /// the input ends; returns false when there is nothing left. A line longer
  /// than chunk_size makes a larger chunk. `stream_offset` is the offset of
  /// out.data[0] in the (inflated) stream.
  bool next(ChunkBuffer& out, i64& stream_offset);

 private:
  ByteSource& source_;
  i64 chunk_size_;
  BufferPool& pool_;
  std::vector<char> carry_;  // the unfinished last line of the previous read
  i64 offset_ = 0;
  bool eof_ = false;
};

}  // namespace ngfreq
