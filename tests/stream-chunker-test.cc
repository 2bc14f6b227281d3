// The stream chunker: line-aligned chunks whose concatenation is the stream,
// whatever the chunk size, read size and line lengths.
#include "ngfreq/stream-chunker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

// A byte source over a string that hands out at most `step` bytes a read,
// as a pipe or an inflater does.
class StringSource : public ByteSource {
 public:
  StringSource(std::string text, i64 step) : text_(std::move(text)), step_(step) {}
  i64 read(char* dst, i64 cap) override {
    i64 n = std::min({cap, step_, i64(text_.size()) - pos_});
    std::memcpy(dst, text_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  i64 consumed() const override { return pos_; }

 private:
  std::string text_;
  i64 step_;
  i64 pos_ = 0;
};

// Cuts `text` into chunks; checks each ends a line (but the last) and that
// stream offsets follow; returns the chunks. Buffers go back to the pool
// only at the end, as when every chunk is still being mapped.
// With `shared`, the buffers are memory files, as for the process executor.
std::vector<std::string> chunks_of(const std::string& text, i64 chunk_size, i64 step, bool shared = false) {
  StringSource source(text, step);
  BufferPool pool;
  if (shared) pool.use_shared_memory();
  StreamChunker chunker(source, chunk_size, pool);
  std::vector<std::string> out;
  std::vector<ChunkBuffer> in_flight;
  ChunkBuffer buf;
  i64 offset = -1, expected_offset = 0;
  while (chunker.next(buf, offset)) {
    EXPECT_EQ(offset, expected_offset);
    out.emplace_back(buf.data(), buf.size);
    expected_offset += buf.size;
    in_flight.push_back(std::move(buf));
  }
  for (ChunkBuffer& b : in_flight) pool.give_back(std::move(b));
  for (size_t i = 0; i + 1 < out.size(); i++) EXPECT_EQ(out[i].back(), '\n') << "chunk " << i;
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string s;
  for (const std::string& p : parts) s += p;
  return s;
}

}  // namespace

TEST(StreamChunker, ChunksAreLineAlignedAndConcatenateToTheStream) {
  std::string corpus = make_v2_corpus(5, 300);
  for (i64 chunk : {1, 7, 64, 4096, 1 << 20})
    for (i64 step : {1, 13, 1 << 16}) {
      if (step == 1 && chunk > 64) continue;  // byte-at-a-time reads of the whole corpus are slow
      EXPECT_EQ(joined(chunks_of(corpus, chunk, step)), corpus) << "chunk " << chunk << ", step " << step;
    }
}

TEST(StreamChunker, LastLineWithoutNewlineIsItsOwnEnd) {
  std::vector<std::string> parts = chunks_of("a\t1\t1\t1\nb\t2\t2\t2", 4, 3);
  EXPECT_EQ(joined(parts), "a\t1\t1\t1\nb\t2\t2\t2");
  EXPECT_EQ(parts.back(), "b\t2\t2\t2");
}

// Lines of several megabytes at a chunk size of a kilobyte: the unfinished
// start of a long line is carried into a chunk taken from the pool, which
// must be made large enough for it (it once overflowed the buffer).
TEST(StreamChunker, LinesMuchLongerThanTheChunkSize) {
  std::string text = "a\t1990\t1\t1\n";
  for (int i = 0; i < 3; i++) text += std::string(3 << 20, char('x' + i)) + "\t1990\t5\t2\n";
  text += "b\t1990\t1\t1\n";
  for (bool shared : {false, true}) {
    std::vector<std::string> parts = chunks_of(text, 1024, 1 << 16, shared);
    EXPECT_EQ(joined(parts), text) << shared;
    for (const std::string& p : parts) EXPECT_GE(std::count(p.begin(), p.end(), '\n'), 1);
  }
}

// Chunks in memory files are the chunks on the heap, and their memfd holds
// exactly the bytes the parent sees.
TEST(StreamChunker, SharedMemoryBuffersHoldTheSameChunks) {
  std::string corpus = make_v2_corpus(6, 300);
  EXPECT_EQ(chunks_of(corpus, 4096, 13, true), chunks_of(corpus, 4096, 13, false));
  StringSource source(corpus, 1 << 16);
  BufferPool pool;
  pool.use_shared_memory();
  StreamChunker chunker(source, 4096, pool);
  ChunkBuffer buf;
  i64 offset;
  ASSERT_TRUE(chunker.next(buf, offset));
  ASSERT_TRUE(buf.memfd);
  std::string via_fd(buf.size, '\0');
  ASSERT_EQ(pread(buf.memfd.get(), via_fd.data(), via_fd.size(), 0), buf.size);
  EXPECT_EQ(via_fd, std::string(buf.data(), buf.size));
}
