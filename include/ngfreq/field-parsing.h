// Pieces every line parser shares: numbers parsed by hand (no locale, no
// allocation, overflow detected instead of wrapped) and fields quoted
// safely in messages.
#pragma once

#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "ngfreq/common.h"

#ifdef __SSE2__
#  include <emmintrin.h>
#endif

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

/// Reads two counts, "match SEP volumes END" (END a LF, or with TabEnds a
/// TAB too) of 1-8 digits each, at p, or with YearFirst after a year of
/// four digits and a SEP at p (v3's "yyyy,match,volumes"), all of it
/// within 16 bytes; their digits are aligned as aligned_short_digits()
/// gives them. Returns the byte after END, or nullptr when p holds
/// anything else (the caller's full parse then reads it). 22 bytes at p
/// must be readable.
///
/// With SSE2 (every x86-64) the 16 bytes at p are classified at once and
/// the field ends read off bit masks, so that where the next line or
/// triple starts does not wait on a chain of loads, each at the end of the
/// field before: v3's triples are short, and that chain made them 2x
/// slower a byte than v2's lines.
template <char Sep, bool TabEnds, bool YearFirst>
[[gnu::always_inline]] inline const char* aligned_count_pair(const char* p, u64& match, u64& volumes) {
  constexpr int FROM = YearFirst ? 5 : 0;  // where the match count starts
#ifdef __SSE2__
  auto mask = [](__m128i m) { return u32(_mm_movemask_epi8(m)); };
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i lf = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
  u32 ends = mask(TabEnds ? _mm_or_si128(lf, _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))) : lf);
  u32 seps = mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(Sep)));
  u32 digits = mask(
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))));
  int end_at = __builtin_ctz(ends | 1u << 15);  // the END, if it is within 15 bytes
  u32 others = ~digits & ((1u << end_at) - 1);  // must be the SEPs, each after a digit
  // YearFirst: "yyyy" SEP and a digit; else a digit first.
  constexpr u32 LEAD = YearFirst ? 0x3F : 0x1, LEAD_OTHERS = YearFirst ? 0x10 : 0;
  u32 second = others & ~LEAD;
  int sep_at = __builtin_ctz(second | 1u << 15);
  bool ok = (others & LEAD) == LEAD_OTHERS && (second & (second - 1)) == 0 && sep_at + 1 < end_at &&
            (seps & others) == others && (ends >> end_at & 1);
  // Counts of 1-8 digits (as the window is 16 bytes, with a year first they can be no longer).
  if (!YearFirst) ok &= sep_at <= 8 && end_at - sep_at <= 9;
  if (!ok) return nullptr;
  u64 x;
  std::memcpy(&x, p + FROM, 8);
  match = (x - 0x3030303030303030ull) << (8 - sep_at + FROM) * 8;
  std::memcpy(&x, p + sep_at + 1, 8);
  volumes = (x - 0x3030303030303030ull) << (9 - end_at + sep_at) * 8;
  return p + end_at + 1;
#else
  if (YearFirst && !four_digits_then(p, Sep)) return nullptr;
  p += FROM;
  int n = aligned_short_digits(p, match);
  if (n == 0 || p[n] != Sep) return nullptr;
  p += n + 1;
  n = aligned_short_digits(p, volumes);
  char end = p[n];
  if (n == 0 || !(end == '\n' || (TabEnds && end == '\t'))) return nullptr;
  return p + n + 1;
#endif
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
