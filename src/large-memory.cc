#include "ngfreq/large-memory.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace ngfreq {

static constexpr size_t HUGE_PAGE = size_t(2) << 20;

static size_t mapped_size(size_t bytes) { return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1); }

void* allocate_large(size_t bytes) {
  if (bytes < LARGE_BLOCK_BYTES) return ::operator new(bytes);
  size_t size = mapped_size(bytes);
  // Map a huge page more than needed, then unmap the unaligned ends.
  void* raw = mmap(nullptr, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  uintptr_t begin = uintptr_t(raw);
  uintptr_t aligned = (begin + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  if (aligned > begin) munmap(raw, aligned - begin);
  uintptr_t tail = aligned + size;
  uintptr_t end = begin + size + HUGE_PAGE;
  if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
  // Only advice: where huge pages are off or none is free, 4 KiB pages serve.
  madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

void* reallocate_large(void* p, size_t old_bytes, size_t new_bytes, size_t used) {
  void* bigger = allocate_large(new_bytes);
  if (old_bytes < LARGE_BLOCK_BYTES || new_bytes < LARGE_BLOCK_BYTES) {
    if (used > 0) std::memcpy(bigger, p, used);
    free_large(p, old_bytes);
    return bigger;
  }
  // Move the old pages to the start of the new, aligned range: no copy,
  // and no fault for the bytes already there.
  void* moved =
      mremap(p, mapped_size(old_bytes), mapped_size(old_bytes), MREMAP_MAYMOVE | MREMAP_FIXED, bigger);
  if (moved == MAP_FAILED) {
    free_large(bigger, new_bytes);
    throw std::bad_alloc();
  }
  return bigger;
}

void free_large(void* p, size_t bytes) noexcept {
  if (bytes < LARGE_BLOCK_BYTES)
    ::operator delete(p);
  else
    munmap(p, mapped_size(bytes));
}

}  // namespace ngfreq
