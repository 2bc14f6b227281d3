#include "generate/gzip-writer.h"

#include <fmt/format.h>

#include <algorithm>

namespace ngfreq::generator {
namespace {

// Compressed output is handed to the file 1 MiB at a time.
constexpr i64 GZIP_OUT_BYTES = 1 << 20;

}  // namespace

GzipWriter::GzipWriter(OutputFile& out) : out_(out), buf_(GZIP_OUT_BYTES) {
#ifdef NGFREQ_HAVE_ISAL
  isal_deflate_init(&zs_);
  level_buf_.resize(ISAL_DEF_LVL1_DEFAULT);
  zs_.level = 1;
  zs_.level_buf = level_buf_.data();
  zs_.level_buf_size = level_buf_.size();
  zs_.gzip_flag = IGZIP_GZIP;
#else
  if (deflateInit2(&zs_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(fmt::format("{}: cannot start gzip compression", out_.path()));
#endif
}

GzipWriter::~GzipWriter() {
#ifndef NGFREQ_HAVE_ISAL
  deflateEnd(&zs_);
#endif
}

void GzipWriter::write(std::string_view data) {
  while (!data.empty()) {
    size_t n = std::min<size_t>(data.size(), 1 << 30);
    compress(data.substr(0, n), false);
    data.remove_prefix(n);
  }
}

void GzipWriter::finish() { compress({}, true); }

void GzipWriter::compress(std::string_view data, bool last) {
  zs_.next_in = (u8*)data.data();
  zs_.avail_in = data.size();
#ifdef NGFREQ_HAVE_ISAL
  zs_.end_of_stream = last;
  do {
    zs_.next_out = buf_.data();
    zs_.avail_out = buf_.size();
    if (isal_deflate(&zs_) != COMP_OK) throw Error(fmt::format("{}: gzip compression failed", out_.path()));
    flush_output();
  } while (zs_.avail_in > 0 || (last && zs_.internal_state.state != ZSTATE_END));
#else
  int rc;
  do {
    zs_.next_out = buf_.data();
    zs_.avail_out = buf_.size();
    rc = deflate(&zs_, last ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_ERROR) throw Error(fmt::format("{}: gzip compression failed", out_.path()));
    flush_output();
  } while (zs_.avail_in > 0 || zs_.avail_out == 0 || (last && rc != Z_STREAM_END));
#endif
}

void GzipWriter::flush_output() {
  size_t n = buf_.size() - zs_.avail_out;
  if (n) out_.write({(const char*)buf_.data(), n});
}

}  // namespace ngfreq::generator
