// Memory that processes share: anonymous memory files (memfd) that carry
// tables and chunks between the process pool's parent and workers, and
// shared anonymous mappings for counters that forked workers update.
//
// A memfd has no name in any file system (nothing in /dev/shm or the temp
// directory to leak) and is freed when its last descriptor and mapping go,
// even if the process holding it is killed.
#pragma once

#include <sys/types.h>

#include <new>
#include <string_view>

#include "ngfreq/common.h"

namespace ngfreq::detail {

/// An owned file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  ~UniqueFd();

  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// A memory mapping, unmapped on destruction.
class Mapping {
 public:
  Mapping() = default;
  /// Maps `size` bytes of `fd` shared, read-only or writable.
  Mapping(int fd, i64 size, bool writable);
  /// Maps all of `fd` read-only, its page table filled at once
  /// (MAP_POPULATE): on a VM a page fault per 4 KiB costs more than reading
  /// the page, and a table is always read whole.
  /// `size` < 0 means the file's size.
  static Mapping read_whole(int fd, i64 size = -1);
  /// Private anonymous memory of `size` bytes, populated at once.
  static Mapping anonymous(i64 size);
  Mapping(Mapping&& o) noexcept;
  Mapping& operator=(Mapping&& o) noexcept;
  ~Mapping();

  char* data() const { return data_; }
  i64 size() const { return size_; }

 private:
  char* data_ = nullptr;
  i64 size_ = 0;
};

/// Creates an anonymous memory file of `size` bytes (its pages are
/// allocated only when written). `name` shows in /proc/PID/fd for debugging.
UniqueFd make_memfd(const char* name, i64 size);

/// Shrinks or grows a memory file.
void resize_memfd(int fd, i64 size);

/// Creates a memory file holding a copy of `bytes`.
UniqueFd memfd_with(const char* name, std::string_view bytes);

/// Overwrites the start of a memory file with `bytes` (growing it if need
/// be); pages already there are reused, not allocated again.
void write_memfd(int fd, std::string_view bytes);

/// Maps `size` bytes of zeroed memory shared with future forked children.
void* map_shared_anonymous(i64 size);
void unmap_shared_anonymous(void* p, i64 size);

/// A T in a shared anonymous mapping: after fork, parent and children see
/// the same object. T must be usable from several processes at once (plain
/// lock-free atomics, no pointers).
template <class T> class SharedObject {
 public:
  SharedObject() : raw_(map_shared_anonymous(sizeof(T))) { new (raw_) T(); }
  ~SharedObject() {
    get()->~T();
    unmap_shared_anonymous(raw_, sizeof(T));
  }
  SharedObject(const SharedObject&) = delete;
  SharedObject& operator=(const SharedObject&) = delete;

  T* get() const { return static_cast<T*>(raw_); }
  T& operator*() const { return *get(); }

 private:
  void* raw_;
};

}  // namespace ngfreq::detail
