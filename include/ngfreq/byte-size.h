// Sizes as people type them: --size 600M, --memory-limit 2G, and the
// Python module's memory_limit="2G".
#pragma once

#include <string>

#include "ngfreq/common.h"

namespace ngfreq {

/// "64M", "1g", "4096", "2KiB" -> bytes (binary units); UsageError naming
/// `option` for anything else, 0 included.
i64 parse_size(const std::string& text, const std::string& option);

}  // namespace ngfreq
