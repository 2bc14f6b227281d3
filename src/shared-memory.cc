#include "ngfreq/shared-memory.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace ngfreq::detail {

// Shared memory counts against the file size limit (RLIMIT_FSIZE): say so,
// since "File too large" alone points at the output file.
static std::string shared_memory_error(const char* what) {
  bool limit = errno == EFBIG;
  return fmt::format("cannot {} shared memory: {}{}", what, errno_string(),
                     limit ? " (the process executor's tables and chunks count against the file size limit, "
                             "ulimit -f)"
                           : "");
}

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) close(fd_);
}

Mapping::Mapping(int fd, i64 size, bool writable) : size_(size) {
  if (size == 0) return;
  void* p = mmap(nullptr, size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) throw Error(fmt::format("cannot map shared memory: {}", errno_string()));
  data_ = static_cast<char*>(p);
}

Mapping Mapping::read_whole(int fd, i64 size) {
  Mapping m;
  m.size_ = size;
  if (size < 0) {
    struct stat st;
    if (fstat(fd, &st) != 0) throw Error(fmt::format("cannot stat shared memory: {}", errno_string()));
    m.size_ = st.st_size;
  }
  if (m.size_ == 0) return m;
  void* p = mmap(nullptr, m.size_, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) throw Error(fmt::format("cannot map shared memory: {}", errno_string()));
  m.data_ = static_cast<char*>(p);
  return m;
}

Mapping Mapping::anonymous(i64 size) {
  Mapping m;
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) throw Error(fmt::format("cannot allocate {} bytes: {}", size, errno_string()));
  m.data_ = static_cast<char*>(p);
  m.size_ = size;
  return m;
}

Mapping::Mapping(Mapping&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

Mapping& Mapping::operator=(Mapping&& o) noexcept {
  if (this != &o) {
    if (data_) munmap(data_, size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

Mapping::~Mapping() {
  if (data_) munmap(data_, size_);
}

UniqueFd make_memfd(const char* name, i64 size) {
  UniqueFd fd(memfd_create(name, MFD_CLOEXEC));
  if (!fd) throw Error(fmt::format("cannot create shared memory: {}", errno_string()));
  resize_memfd(fd.get(), size);
  return fd;
}

void resize_memfd(int fd, i64 size) {
  if (ftruncate(fd, size) != 0) throw Error(shared_memory_error("size"));
}

UniqueFd memfd_with(const char* name, std::string_view bytes) {
  UniqueFd fd = make_memfd(name, 0);
  write_memfd(fd.get(), bytes);
  return fd;
}

void write_memfd(int fd, std::string_view bytes) {
  i64 offset = 0;
  while (offset < i64(bytes.size())) {
    ssize_t n = pwrite(fd, bytes.data() + offset, bytes.size() - offset, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(shared_memory_error("write"));
    }
    offset += n;
  }
}

void* map_shared_anonymous(i64 size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw Error(fmt::format("cannot map shared memory: {}", errno_string()));
  return p;
}

void unmap_shared_anonymous(void* p, i64 size) { munmap(p, size); }

}  // namespace ngfreq::detail
