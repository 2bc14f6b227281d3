// Fuzzes the gzip reader. The first byte picks what the reader gets:
//   0: the bytes as they are (mostly not gzip at all)
//   1: the bytes gzip-compressed: both inflaters must return them exactly
//   2: the same, twice, as two members
//   3: compressed, then one byte changed (a bad CRC, a bad block, ...)
//   4: compressed, then truncated
// In every case ISA-L and zlib must agree: the same bytes, or both an
// InputError.
#include <zlib.h>

#include <optional>
#include <string>

#include "fuzz-input.h"
#include "ngfreq/byte-source.h"

using namespace ngfreq;

static std::string gzip(std::string_view bytes, int level) {
  z_stream z{};
  fuzz::check(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK, "deflateInit2");
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = bytes.size();
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = out.size();
  fuzz::check(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Everything the reader returns, or nothing if it threw InputError.
static std::optional<std::string> inflate_all(const std::string& file_bytes, Inflater inflater) {
  fuzz::MemoryFile file(file_bytes);
  InputFile input{.path = file.path(), .seekable = false, .gzip = true, .size = i64(file_bytes.size())};
  try {
    std::unique_ptr<ByteSource> source = open_byte_source(input, inflater);
    std::string out;
    char buf[4096];
    while (i64 n = source->read(buf, sizeof buf)) out.append(buf, n);
    return out;
  } catch (const InputError&) {
    return std::nullopt;
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  uint8_t mode = in.byte() % 5;
  int level = in.byte() % 10;
  uint32_t where = in.u16();
  std::string plain(in.rest());

  std::string file_bytes = mode == 0 ? plain : gzip(plain, level);
  std::optional<std::string> expected;
  if (mode == 1) expected = plain;
  if (mode == 2) {
    file_bytes += gzip(plain, level);
    expected = plain + plain;
  }
  if (mode == 3) file_bytes[where % file_bytes.size()] ^= 1 + (where >> 8) % 255;
  if (mode == 4) file_bytes.resize(where % file_bytes.size());

  std::optional<std::string> by_zlib = inflate_all(file_bytes, Inflater::zlib);
  if (expected) fuzz::check(by_zlib == expected, "zlib returns what was compressed");
  if (have_isal()) {
    std::optional<std::string> by_isal = inflate_all(file_bytes, Inflater::isal);
    fuzz::check(by_isal == by_zlib, "ISA-L and zlib agree");
  }
  return 0;
}
