// gzip compression of the generator's output into an OutputFile: one gzip
// member, level 1, with ISA-L if available (several times faster) or else
// zlib.
#pragma once

#include <string_view>
#include <vector>

#ifdef NGFREQ_HAVE_ISAL
#  include <isa-l/igzip_lib.h>
#else
#  include <zlib.h>
#endif

#include "ngfreq/output-file.h"

namespace ngfreq::generator {

class GzipWriter {
 public:
  explicit GzipWriter(OutputFile& out);
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  ~GzipWriter();

  void write(std::string_view data);
  /// Ends the gzip member; call once, after the last write.
  void finish();

 private:
  void compress(std::string_view data, bool last);
  void flush_output();

  OutputFile& out_;
  std::vector<u8> buf_;
#ifdef NGFREQ_HAVE_ISAL
  isal_zstream zs_;
  std::vector<u8> level_buf_;
#else
  z_stream zs_{};
#endif
};

}  // namespace ngfreq::generator
