// Stable storage for key bytes: entries point into it, so a table never
// copies a key twice and its pointers survive rehashing.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"

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
    for (auto& block : other.blocks_) blocks_.push_back(std::move(block));
    allocated_ += other.allocated_;
    other = KeyArena();
  }

  /// Bytes reserved from the allocator (for memory accounting).
  i64 allocated_bytes() const { return allocated_; }

 private:
  // Blocks start small because a table is made per partition, and tiny
  // partitions (down to one byte) must stay cheap; they double up to
  // MAX_BLOCK so that big tables make few allocations.
  static constexpr i64 MIN_BLOCK = 256;
  static constexpr i64 MAX_BLOCK = 256 * 1024;

  void grow(size_t need) {
    next_block_ = std::min<i64>(std::max<i64>(next_block_ * 2, MIN_BLOCK), MAX_BLOCK);
    i64 size = std::max<i64>(next_block_, need);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = blocks_.back().get();
    remaining_ = size;
    allocated_ += size;
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t remaining_ = 0;
  i64 next_block_ = 0;
  i64 allocated_ = 0;
};

}  // namespace ngfreq
