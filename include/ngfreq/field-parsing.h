// Pieces every line parser shares: numbers parsed by hand (no locale, no
// allocation, overflow detected instead of wrapped) and fields quoted
// safely in messages.
#pragma once

#include <bit>
#include <cstring>
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

/// How many decimal digits (1 to 7) the 8 bytes at p start with, from one
/// load; 0 when they start with none or with 8 or more.
[[gnu::always_inline]] inline int short_digit_count(const char* p) {
  static_assert(std::endian::native == std::endian::little);
  u64 x;
  std::memcpy(&x, p, 8);
  // The top bit of each byte that is below '0' or above '9'; bytes before
  // the first such byte are digits, so borrows and carries cannot reach it.
  u64 not_digit = ((x - 0x3030303030303030ull) | (x + 0x4646464646464646ull)) & 0x8080808080808080ull;
  return not_digit ? __builtin_ctzll(not_digit) >> 3 : 0;
}

/// Whether p holds four digits and then `sep`, the shape of nearly every
/// year, from one 4-byte load; 5 bytes at p must be readable.
[[gnu::always_inline]] inline bool four_digits_then(const char* p, char sep) {
  u32 x;
  std::memcpy(&x, p, 4);
  return (((x - 0x30303030u) | (x + 0x46464646u)) & 0x80808080u) == 0 && p[4] == sep;
}

/// The value of the four digits at p (four_digits_then() holds).
[[gnu::always_inline]] inline u64 four_digits_value(const char* p) {
  u32 x;
  std::memcpy(&x, p, 4);
  u32 d = x - 0x30303030u;
  return (d & 0xff) * 1000 + (d >> 8 & 0xff) * 100 + (d >> 16 & 0xff) * 10 + (d >> 24);
}

/// Parses a number of 1 to 7 digits at p with one 8-byte load and no loop
/// (SWAR, as simdjson parses eight digits); 8 bytes at p must be readable.
/// Returns the number of digits, or 0 when p holds no digit or 8 or more
/// (parse_u64 then does it).
[[gnu::always_inline]] inline int parse_short_u64(const char* p, u64& out) {
  int n = short_digit_count(p);
  if (n == 0) return 0;
  u64 x;
  std::memcpy(&x, p, 8);
  u64 d = (x - 0x3030303030303030ull) << (8 - n) * 8;  // drop what follows the digits; leading zeros come in
  d = ((d & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
  d = ((d & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
  out = ((d & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
  return n;
}

/// The digits of a number of 1 to 7 digits at p as byte values 0-9, placed
/// so that its units digit is the top byte: the digits of several numbers
/// can then be added bytewise (28 numbers at most, so that no byte passes
/// 255) and their sum read once, by aligned_digits_value(), instead of
/// each number on its own. One 8-byte load; 8 bytes at p must be readable.
/// Returns the number of digits, or 0 as short_digit_count().
[[gnu::always_inline]] inline int aligned_short_digits(const char* p, u64& aligned) {
  int n = short_digit_count(p);
  u64 x;
  std::memcpy(&x, p, 8);
  aligned = n ? (x - 0x3030303030303030ull) << (8 - n) * 8 : 0;
  return n;
}

/// How many aligned_short_digits() results may be added before their sum is
/// read: 28 x 9 = 252 still fits a byte.
inline constexpr int ALIGNED_SUMS_MAX = 28;

/// The bytewise sums of the aligned match and volume counts of up to
/// ALIGNED_SUMS_MAX lines (or v3 triples), for the parsers' lean loops.
struct AlignedCountSums {
  u64 match = 0, volumes = 0;
  int lines = 0;

  /// Adds one line's counts; true when the sums are full and must be read.
  bool add(u64 aligned_match, u64 aligned_volumes) {
    match += aligned_match;
    volumes += aligned_volumes;
    return ++lines == ALIGNED_SUMS_MAX;
  }
};

/// The number the bytewise sums of aligned_short_digits() results stand
/// for: byte i (0-255) weighs 10^(7 - i). Pairs of bytes, then of 16-bit
/// lanes, then of 32-bit ones are combined; no lane can overflow (at most
/// 255 x 11, then 2805 x 101).
[[gnu::always_inline]] inline u64 aligned_digits_value(u64 sums) {
  constexpr u64 BYTES = 0x00FF00FF00FF00FFull, HALVES = 0x0000FFFF0000FFFFull;
  u64 pairs = (sums & BYTES) * 10 + ((sums >> 8) & BYTES);
  u64 quads = (pairs & HALVES) * 100 + ((pairs >> 16) & HALVES);
  return (quads & 0xFFFFFFFFull) * 10000 + (quads >> 32);
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
