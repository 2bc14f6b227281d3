// The one hash function every table, shard split and merge uses.
#pragma once

#include <string_view>

#include "ngfreq/common.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ngfreq {

/// Hashes an n-gram key. XXH3 is the fastest well-kept hash for short keys
/// in Debian (libxxhash-dev); inlined so the map's hot loop makes no call.
/// NGFREQ_HASH_ZERO builds force 0 to exercise the collision paths.
inline u64 hash_key(std::string_view key) {
#ifdef NGFREQ_HASH_ZERO
  (void)key;
  return 0;
#else
  return XXH3_64bits(key.data(), key.size());
#endif
}

}  // namespace ngfreq
