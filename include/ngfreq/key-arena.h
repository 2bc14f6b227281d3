// Stable storage for key bytes: entries point into it, so a table never
// copies a key twice and its pointers survive rehashing.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/large-memory.h"

namespace ngfreq {

class KeyArena {
 public:
  /// Copies `key` into the arena and returns a pointer that stays valid for
  /// the arena's lifetime.
  const char* store(std::string_view key) {
    if (key.size() > remaining_) grow(key.size());
    char* out = next_;
    std::memcpy(out, key.data(), key.size());
    next_ += key.size();
    remaining_ -= key.size();
    return out;
  }

  /// Takes over every block of `other`, so that keys stored there stay
  /// valid for this arena's lifetime; `other` is left empty.
  void adopt(KeyArena&& other) {
    // In front, so that the back stays the block being filled.
    blocks_.insert(blocks_.begin(), std::make_move_iterator(other.blocks_.begin()),
                   std::make_move_iterator(other.blocks_.end()));
    allocated_ += other.allocated_;
    other = KeyArena();
  }

  /// Forgets every key but keeps the newest (largest) block for reuse, so a
  /// combining table that is emptied often does not allocate again.
  void clear() {
    if (blocks_.empty()) return;
    LargeBuffer last = std::move(blocks_.back());
    blocks_.clear();
    blocks_.push_back(std::move(last));
    next_ = blocks_.back().data();
    remaining_ = last_size_;
    allocated_ = last_size_;
  }

  /// Bytes reserved from the allocator (for memory accounting).
  i64 allocated_bytes() const { return allocated_; }

 private:
  // Blocks start small because a table is made per partition, and tiny
  // partitions (down to one byte) must stay cheap; they double up to
  // MAX_BLOCK so that big tables make few allocations (in huge pages).
  static constexpr i64 MIN_BLOCK = 256;
  static constexpr i64 MAX_BLOCK = 2 << 20;

  void grow(size_t need) {
    next_block_ = std::min<i64>(std::max<i64>(next_block_ * 2, MIN_BLOCK), MAX_BLOCK);
    i64 size = std::max<i64>(next_block_, need);
    blocks_.emplace_back(size);
    next_ = blocks_.back().data();
    remaining_ = size;
    last_size_ = size;
    allocated_ += size;
  }

  std::vector<LargeBuffer> blocks_;
  char* next_ = nullptr;
  size_t remaining_ = 0;
  i64 next_block_ = 0;
  i64 last_size_ = 0;
  i64 allocated_ = 0;
};

}  // namespace ngfreq
