#include "ngfreq/byte-size.h"

#include <fmt/format.h>

#include <cctype>
#include <map>

namespace ngfreq {

i64 parse_size(const std::string& text, const std::string& option) {
  size_t pos = 0;
  u64 value = 0;
  try {
    value = std::stoull(text, &pos);
  } catch (...) {
    throw UsageError(fmt::format("{}: '{}' is not a size (e.g. 4096, 64K, 32M, 1G)", option, text));
  }
  std::string suffix = text.substr(pos);
  for (char& c : suffix) c = char(std::toupper(u8(c)));
  static const std::map<std::string, u64> units = {{"", 1},
                                                   {"B", 1},
                                                   {"K", 1ull << 10},
                                                   {"KB", 1ull << 10},
                                                   {"KIB", 1ull << 10},
                                                   {"M", 1ull << 20},
                                                   {"MB", 1ull << 20},
                                                   {"MIB", 1ull << 20},
                                                   {"G", 1ull << 30},
                                                   {"GB", 1ull << 30},
                                                   {"GIB", 1ull << 30},
                                                   {"T", 1ull << 40},
                                                   {"TB", 1ull << 40},
                                                   {"TIB", 1ull << 40}};
  auto unit = units.find(suffix);
  if (unit == units.end() || value == 0 || value > (u64(1) << 62) / unit->second)
    throw UsageError(fmt::format("{}: '{}' is not a size (e.g. 4096, 64K, 32M, 1G)", option, text));
  return i64(value * unit->second);
}

}  // namespace ngfreq
