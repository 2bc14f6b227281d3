// Sequential sources of input bytes: a pipe or terminal, or a gzip file
// inflated as a stream. A gzip stream cannot be split at byte offsets, so
// these are read front to back and cut into partitions as they go.
#pragma once

#include <memory>
#include <string>

#include "ngfreq/common.h"
#include "ngfreq/inputs.h"

namespace ngfreq {

/// Which inflate implementation reads gzip input.
enum class Inflater {
  automatic,  // ISA-L when built with it, else zlib
  isal,       // Intel ISA-L: several times faster than zlib
  zlib,
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Fills up to `cap` bytes of `dst`; returns 0 at the end of input. Throws
  /// InputError (with a byte offset) on corrupt or truncated gzip data.
  virtual i64 read(char* dst, i64 cap) = 0;
  /// Bytes consumed from the file or pipe so far (compressed bytes for
  /// gzip), for progress reports.
  virtual i64 consumed() const = 0;
};

/// Opens `in` as a stream of its (inflated) bytes. Standard input is
/// inflated when it starts with the gzip magic.
std::unique_ptr<ByteSource> open_byte_source(const InputFile& in, Inflater inflater);

/// True if this build can inflate with ISA-L.
bool have_isal();

}  // namespace ngfreq
