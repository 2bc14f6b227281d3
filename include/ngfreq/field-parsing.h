// Pieces every line parser shares: numbers parsed by hand (no locale, no
// allocation, overflow detected instead of wrapped) and fields quoted
// safely in messages.
#pragma once

#include <string>
#include <string_view>

#include "ngfreq/common.h"

namespace ngfreq {

/// Parses the run of decimal digits at p (possibly empty) into `out` and
/// leaves p after it. Returns false if the number does not fit in 64 bits.
inline bool parse_u64(const char*& p, const char* end, u64& out) {
  const char* start = p;
  u64 v = 0;
  while (p < end && unsigned(*p - '0') < 10) {
    // 19 digits always fit; only longer numbers need an overflow check.
    if (p - start >= 19) {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, u64(*p - '0'), &v)) return false;
    } else {
      v = v * 10 + u64(*p - '0');
    }
    p++;
  }
  out = v;
  return true;
}

/// The length of the valid (RFC 3629: shortest form, no surrogates, at most
/// U+10FFFF) UTF-8 sequence of 2 to 4 bytes at the start of
/// s, or 0.
size_t utf8_sequence(std::string_view s);

/// A field as it may appear in a one-line message: cut after 40 bytes (not
/// inside a character), control bytes and bytes that are not UTF-8 escaped
/// as \xNN, so that binary garbage cannot garble a terminal.
std::string excerpt(std::string_view s);

}  // namespace ngfreq
