// Memory for the large arrays of a high-cardinality count (partition runs,
// the final table's slots, entries and keys, the sort array) in transparent
// huge pages.
//
// Such a count touches GBs of fresh memory once each. In 4 KiB pages that is
// hundreds of thousands of page faults, and on the VMs measured here a fault
// costs several microseconds: `count -f text --ngram 3` of 300 MB spent 8 s
// of its 21 s in the kernel. Debian's kernels give huge pages only where
// madvise(MADV_HUGEPAGE) asks for them (transparent_hugepage=madvise), and
// only for 2 MiB-aligned ranges, which malloc does not hand out: so large
// blocks are mapped here, aligned, and advised. Small blocks, of which a
// tiny partition makes many, still come from malloc.
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

#include "ngfreq/common.h"

namespace ngfreq {

/// Blocks of at least this many bytes are mapped in huge pages.
inline constexpr size_t LARGE_BLOCK_BYTES = size_t(1) << 20;

/// `bytes` of memory, in huge pages when large; throws std::bad_alloc.
void* allocate_large(size_t bytes);
/// Grows what allocate_large(old_bytes) returned to `new_bytes`, keeping
/// its first `used` bytes: large blocks move their pages (mremap) rather
/// than copy them, so that a growing array is not faulted in twice.
void* reallocate_large(void* p, size_t old_bytes, size_t new_bytes, size_t used);
/// Frees what allocate_large(bytes) returned.
void free_large(void* p, size_t bytes) noexcept;

/// A std::allocator that takes large arrays from allocate_large.
template <class T> struct LargeAllocator {
  using value_type = T;
  LargeAllocator() = default;
  template <class U> LargeAllocator(const LargeAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(allocate_large(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { free_large(p, n * sizeof(T)); }
  template <class U> bool operator==(const LargeAllocator<U>&) const { return true; }
};

template <class T> using LargeVector = std::vector<T, LargeAllocator<T>>;

/// An owned block of allocate_large memory.
class LargeBuffer {
 public:
  LargeBuffer() = default;
  explicit LargeBuffer(size_t bytes) : data_(static_cast<char*>(allocate_large(bytes))), size_(bytes) {}
  LargeBuffer(LargeBuffer&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  LargeBuffer& operator=(LargeBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~LargeBuffer() {
    if (data_) free_large(data_, size_);
  }

  char* data() const { return data_; }
  size_t size() const { return size_; }
  /// Grows to `bytes`, keeping the first `used`.
  void grow(size_t bytes, size_t used) {
    data_ = static_cast<char*>(data_ ? reallocate_large(data_, size_, bytes, used) : allocate_large(bytes));
    size_ = bytes;
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ngfreq
