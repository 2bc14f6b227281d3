// Byte sources. Gzip input may hold several members back to back (as
// `cat a.gz b.gz` makes); each inflater restarts at every member boundary
// and checks every member's CRC. Bytes after the last member that are not
// another gzip member are an error, except all-zero padding, which tape and
// block tools append and gzip itself ignores.
#include "ngfreq/byte-source.h"

#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#ifdef NGFREQ_HAVE_ISAL
#  include <isa-l/igzip_lib.h>
#endif

namespace ngfreq {

bool have_isal() {
#ifdef NGFREQ_HAVE_ISAL
  return true;
#else
  return false;
#endif
}

namespace {

// Reads a file descriptor, first handing back bytes already peeked.
class RawReader {
 public:
  RawReader(const InputFile& in) : path_(in.path), fd_(open_input(in.path)) {}
  ~RawReader() {
    if (fd_ != STDIN_FILENO) close(fd_);
  }
  RawReader(const RawReader&) = delete;
  RawReader& operator=(const RawReader&) = delete;

  i64 read(char* dst, i64 cap) {
    if (pushed_pos_ < pushed_.size()) {
      i64 n = std::min<i64>(cap, pushed_.size() - pushed_pos_);
      std::memcpy(dst, pushed_.data() + pushed_pos_, n);
      pushed_pos_ += n;
      return n;
    }
    for (;;) {
      ssize_t n = ::read(fd_, dst, cap);
      if (n >= 0) {
        consumed_ += n;
        return n;
      }
      if (errno != EINTR)
        throw Error(fmt::format("{}: read failed at byte {}: {}", path_, consumed_, errno_string()));
    }
  }

  // Reads up to n bytes to look at, then arranges for read() to return them.
  std::string peek(i64 n) {
    std::string buf(n, '\0');
    i64 got = 0;
    while (got < n) {
      i64 r = read(buf.data() + got, n - got);
      if (r == 0) break;
      got += r;
    }
    buf.resize(got);
    pushed_ = buf;
    pushed_pos_ = 0;
    return buf;
  }

  i64 consumed() const { return consumed_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_;
  i64 consumed_ = 0;
  std::string pushed_;
  size_t pushed_pos_ = 0;
};

class PlainSource : public ByteSource {
 public:
  explicit PlainSource(std::unique_ptr<RawReader> raw) : raw_(std::move(raw)) {}
  i64 read(char* dst, i64 cap) override { return raw_->read(dst, cap); }
  i64 consumed() const override { return raw_->consumed(); }

 private:
  std::unique_ptr<RawReader> raw_;
};

// The input buffer and member bookkeeping both inflaters share.
class GzipSourceBase : public ByteSource {
 protected:
  // 256 KiB of compressed input a read: large enough that syscalls vanish
  // from profiles, small enough to stay in L2 alongside the window.
  static constexpr i64 IN_BUFFER = 256 * 1024;

  explicit GzipSourceBase(std::unique_ptr<RawReader> raw) : raw_(std::move(raw)), in_(IN_BUFFER) {}

  // Refills the input buffer when empty; returns false at end of file.
  bool refill() {
    if (in_pos_ < in_len_) return true;
    in_len_ = raw_->read(in_.data(), in_.size());
    in_pos_ = 0;
    return in_len_ > 0;
  }

  // Makes at least `n` unconsumed bytes available when the file has them,
  // moving what is left to the front of the buffer; returns what is there.
  i64 ensure_input(i64 n) {
    if (in_len_ - in_pos_ >= n) return in_len_ - in_pos_;
    std::memmove(in_.data(), in_.data() + in_pos_, in_len_ - in_pos_);
    in_len_ -= in_pos_;
    in_pos_ = 0;
    while (in_len_ < n) {
      i64 got = raw_->read(in_.data() + in_len_, in_.size() - in_len_);
      if (got == 0) break;
      in_len_ += got;
    }
    return in_len_;
  }

  // Offset in the compressed file of the next unconsumed input byte.
  i64 offset() const { return raw_->consumed() - (in_len_ - in_pos_); }

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(raw_->path(), fmt::format("byte {}", offset()), what);
  }

  // After a member ends: true if another member follows. Zero padding up to
  // the end of the file is skipped; anything else is trailing garbage.
  bool next_member_follows() {
    for (;;) {
      if (!refill()) return false;
      if (u8(in_[in_pos_]) == 0x1f) return true;
      if (in_[in_pos_] != 0) fail("trailing garbage after gzip data");
      in_pos_++;
    }
  }

  i64 consumed() const override { return offset(); }

  std::unique_ptr<RawReader> raw_;
  std::vector<char> in_;
  i64 in_pos_ = 0;
  i64 in_len_ = 0;
  bool done_ = false;
};

class ZlibSource : public GzipSourceBase {
 public:
  explicit ZlibSource(std::unique_ptr<RawReader> raw) : GzipSourceBase(std::move(raw)) {
    std::memset(&zs_, 0, sizeof(zs_));
    // 16 + MAX_WBITS: expect a gzip wrapper and check its CRC.
    if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) throw Error("zlib: inflateInit2 failed");
  }
  ~ZlibSource() override { inflateEnd(&zs_); }

  i64 read(char* dst, i64 cap) override {
    i64 produced = 0;
    while (produced == 0 && !done_) {
      if (!refill()) {
        if (in_member_) fail("truncated gzip data (unexpected end of file)");
        done_ = true;
        break;
      }
      zs_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      zs_.avail_in = uInt(in_len_ - in_pos_);
      zs_.next_out = reinterpret_cast<Bytef*>(dst);
      zs_.avail_out = uInt(std::min<i64>(cap, 1 << 30));
      in_member_ = true;
      int rc = ::inflate(&zs_, Z_NO_FLUSH);
      in_pos_ = in_len_ - zs_.avail_in;
      produced = reinterpret_cast<char*>(zs_.next_out) - dst;
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        if (!next_member_follows())
          done_ = true;
        else
          inflateReset(&zs_);
      } else if (rc == Z_DATA_ERROR) {
        fail(zs_.msg && std::string(zs_.msg) == "incorrect data check"
                 ? "gzip CRC mismatch (corrupt data)"
                 : fmt::format("corrupt gzip data ({})", zs_.msg ? zs_.msg : "data error"));
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        fail(fmt::format("zlib inflate failed ({})", rc));
      }
    }
    return produced;
  }

 private:
  z_stream zs_;
  bool in_member_ = false;
};

#ifdef NGFREQ_HAVE_ISAL
class IsalSource : public GzipSourceBase {
 public:
  explicit IsalSource(std::unique_ptr<RawReader> raw) : GzipSourceBase(std::move(raw)) { start_member(); }

  i64 read(char* dst, i64 cap) override {
    i64 produced = 0;
    while (produced == 0 && !done_) {
      if (!refill()) {
        if (in_member_) fail("truncated gzip data (unexpected end of file)");
        done_ = true;
        break;
      }
      if (!in_member_) reject_reserved_flags();
      st_.next_in = reinterpret_cast<uint8_t*>(in_.data() + in_pos_);
      st_.avail_in = uint32_t(in_len_ - in_pos_);
      st_.next_out = reinterpret_cast<uint8_t*>(dst);
      st_.avail_out = uint32_t(std::min<i64>(cap, 1 << 30));
      in_member_ = true;
      int rc = isal_inflate(&st_);
      in_pos_ = in_len_ - st_.avail_in;
      produced = reinterpret_cast<char*>(st_.next_out) - dst;
      if (rc == ISAL_INCORRECT_CHECKSUM) fail("gzip CRC mismatch (corrupt data)");
      if (rc < 0) fail(fmt::format("corrupt gzip data (ISA-L error {})", rc));
      if (st_.block_state == ISAL_BLOCK_FINISH) {
        in_member_ = false;
        if (!next_member_follows())
          done_ = true;
        else
          start_member();
      }
    }
    return produced;
  }

 private:
  // RFC 1952 says reserved FLG bits must be zero and a decoder must reject
  // them; zlib does, ISA-L does not (found by fuzz/fuzz-gzip.cc).
  void reject_reserved_flags() {
    static constexpr i64 FLG = 3;  // ID1 ID2 CM FLG
    if (ensure_input(FLG + 1) > FLG && (u8(in_[in_pos_ + FLG]) & 0xe0))
      fail("corrupt gzip data (unknown header flags set)");
  }

  void start_member() {
    isal_inflate_init(&st_);
    st_.crc_flag = ISAL_GZIP;
  }

  inflate_state st_;
  bool in_member_ = false;
};
#endif

}  // namespace

std::unique_ptr<ByteSource> open_byte_source(const InputFile& in, Inflater inflater) {
  auto raw = std::make_unique<RawReader>(in);
  bool gzip = in.gzip;
  if (!in.seekable && !in.gzip) {  // a pipe or FIFO: sniffed on the stream itself
    std::string magic = raw->peek(2);
    gzip = magic.size() == 2 && u8(magic[0]) == 0x1f && u8(magic[1]) == 0x8b;
  }
  if (!gzip) return std::make_unique<PlainSource>(std::move(raw));
#ifdef NGFREQ_HAVE_ISAL
  if (inflater != Inflater::zlib) return std::make_unique<IsalSource>(std::move(raw));
#else
  if (inflater == Inflater::isal) throw UsageError("this build of ngfreq has no ISA-L");
#endif
  return std::make_unique<ZlibSource>(std::move(raw));
}

}  // namespace ngfreq
