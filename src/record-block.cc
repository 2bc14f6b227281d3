#include "ngfreq/record-block.h"

#include <fmt/format.h>
#include <lz4.h>

#include <cstring>

#include "ngfreq/hash.h"

namespace ngfreq {

namespace {

void store_u32(char* p, u32 v) { std::memcpy(p, &v, 4); }
void store_u64(char* p, u64 v) { std::memcpy(p, &v, 8); }
u32 load_u32(const char* p) {
  u32 v;
  std::memcpy(&v, p, 4);
  return v;
}
u64 load_u64(const char* p) {
  u64 v;
  std::memcpy(&v, p, 8);
  return v;
}

u64 checksum(const char* data, i64 size) { return XXH3_64bits(data, size); }

}  // namespace

void encode_block(std::string_view records, i64 count, std::string& out) {
  if (i64(records.size()) > MAX_BLOCK_RAW_BYTES) throw Error("record block: more than 1 GiB of records");
  size_t at = out.size();
  int bound = LZ4_compressBound(int(records.size()));
  out.resize(at + BLOCK_HEADER_BYTES + bound);
  char* payload = out.data() + at + BLOCK_HEADER_BYTES;
  int n = LZ4_compress_default(records.data(), payload, int(records.size()), bound);
  if (n <= 0 && !records.empty()) throw Error("record block: LZ4 compression failed");
  char* h = out.data() + at;
  store_u32(h, BLOCK_MAGIC);
  store_u32(h + 4, u32(n));
  store_u32(h + 8, u32(records.size()));
  store_u32(h + 12, u32(count));
  store_u64(h + 16, checksum(payload, n));
  out.resize(at + BLOCK_HEADER_BYTES + n);
}

BlockHeader read_block_header(const char* data, i64 size) {
  if (size < BLOCK_HEADER_BYTES || load_u32(data) != BLOCK_MAGIC)
    throw Error("record block: bad header (a damaged temporary file?)");
  BlockHeader h{load_u32(data + 4), load_u32(data + 8), load_u32(data + 12)};
  if (BLOCK_HEADER_BYTES + i64(h.payload) != size || i64(h.raw) > MAX_BLOCK_RAW_BYTES)
    throw Error(fmt::format("record block: header says {} bytes, the block has {}", h.payload,
                            size - BLOCK_HEADER_BYTES));
  return h;
}

std::vector<std::string_view> split_blocks(std::string_view message) {
  std::vector<std::string_view> blocks;
  while (!message.empty()) {
    if (i64(message.size()) < BLOCK_HEADER_BYTES)
      throw Error("record block: bad header (a truncated message?)");
    i64 size = BLOCK_HEADER_BYTES + i64(load_u32(message.data() + 4));
    read_block_header(message.data(), std::min<i64>(size, message.size()));
    blocks.push_back(message.substr(0, size));
    message.remove_prefix(size);
  }
  return blocks;
}

BlockHeader decode_block(const char* data, i64 size, std::string& out) {
  BlockHeader h = read_block_header(data, size);
  const char* payload = data + BLOCK_HEADER_BYTES;
  if (checksum(payload, h.payload) != load_u64(data + 16))
    throw Error("record block: checksum mismatch (a damaged temporary file?)");
  size_t at = out.size();
  out.resize(at + h.raw);
  int n = LZ4_decompress_safe(payload, out.data() + at, int(h.payload), int(h.raw));
  if (n != int(h.raw)) {
    out.resize(at);
    throw Error("record block: LZ4 data does not decompress to its size");
  }
  return h;
}

}  // namespace ngfreq
