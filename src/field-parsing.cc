#include "ngfreq/field-parsing.h"

#include <fmt/format.h>

namespace ngfreq {

size_t utf8_sequence(std::string_view s) {
  u8 lead = s[0];
  size_t n = lead >= 0xc2 && lead <= 0xdf   ? 2
             : lead >= 0xe0 && lead <= 0xef ? 3
             : lead >= 0xf0 && lead <= 0xf4 ? 4
                                            : 0;
  if (n == 0 || s.size() < n) return 0;
  // The second byte's range rules out overlong forms, UTF-16 surrogates and
  // code points past U+10FFFF (RFC 3629), which strict decoders reject.
  u8 second = s[1];
  u8 low = lead == 0xe0 ? 0xa0 : lead == 0xf0 ? 0x90 : 0x80;
  u8 high = lead == 0xed ? 0x9f : lead == 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return 0;
  for (size_t i = 2; i < n; i++)
    if ((u8(s[i]) & 0xc0) != 0x80) return 0;
  return n;
}

std::string excerpt(std::string_view s) {
  constexpr size_t MAX = 40;
  std::string out;
  size_t i = 0;
  while (i < s.size() && i < MAX) {
    u8 c = s[i];
    size_t n = c >= 0x80 ? utf8_sequence(s.substr(i)) : 1;
    if (n > 1 && i + n <= MAX) {
      out += s.substr(i, n);
      i += n;
      continue;
    }
    if (n > 1) break;  // the character would cross the cut
    if (c < 0x20 || c >= 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += char(c);
    i++;
  }
  if (i < s.size()) out += "...";
  return out;
}

}  // namespace ngfreq
