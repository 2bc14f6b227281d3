// The v2 map loop. In Google's files the lines of one n-gram are consecutive
// (one per year), so the loop keeps a running total for the current key and
// touches the hash table only when the key changes: for the real data that
// is about once per 50 lines. The key comparison checks the previous key
// followed by TAB, which also proves the key field ends where it did before.
//
// Numbers are parsed by hand: no locale, no allocation, and a count of more
// than 64 bits is detected instead of wrapped.
#include "ngfreq/v2-parser.h"

#include <fmt/format.h>

#include <cstring>

#include "ngfreq/hash.h"

namespace ngfreq {

namespace {

// Reasons are built only on the error path; the hot loop returns a code.
enum class Fault {
  none,
  fields,
  empty_ngram,
  nul_byte,
  bad_year,
  year_range,
  bad_match,
  match_too_big,
  bad_volumes,
  volumes_too_big,
};

i64 count_fields(std::string_view line) {
  i64 n = 1;
  for (char c : line) n += c == '\t';
  return n;
}

// The length of the valid UTF-8 sequence at the start of s (2 to 4), or 0.
size_t utf8_sequence(std::string_view s) {
  u8 lead = s[0];
  size_t n = lead >= 0xc2 && lead <= 0xdf   ? 2
             : lead >= 0xe0 && lead <= 0xef ? 3
             : lead >= 0xf0 && lead <= 0xf4 ? 4
                                            : 0;
  if (n == 0 || s.size() < n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((u8(s[i]) & 0xc0) != 0x80) return 0;
  return n;
}

// A field as it may appear in a one-line message: cut after MAX bytes (not
// inside a character), control bytes and bytes that are not UTF-8 escaped
// as \xNN, so that binary garbage cannot garble a terminal.
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

// The field that ends the first run of digits starting at `p` (or the whole
// rest of the line when the number is the last field).
std::string_view field_at(const char* p, const char* line_end) {
  const char* q = p;
  while (q < line_end && *q != '\t') q++;
  return {p, size_t(q - p)};
}

std::string describe(Fault f, std::string_view line, const char* at, const char* line_end) {
  std::string_view field = field_at(at, line_end);
  switch (f) {
  case Fault::fields:
    if (line.empty()) return "empty line";
    return fmt::format("expected 4 tab-separated fields, got {}", count_fields(line));
  case Fault::empty_ngram: return "empty n-gram";
  case Fault::nul_byte: return "NUL byte in n-gram";
  case Fault::bad_year: return fmt::format("year '{}' is not a number", excerpt(field));
  case Fault::year_range: return fmt::format("year {} is out of range 0-{}", excerpt(field), MAX_YEAR);
  case Fault::bad_match: return fmt::format("match_count '{}' is not a non-negative integer", excerpt(field));
  case Fault::match_too_big: return fmt::format("match_count {} does not fit in 64 bits", excerpt(field));
  case Fault::bad_volumes:
    return fmt::format("volume_count '{}' is not a non-negative integer", excerpt(field));
  case Fault::volumes_too_big: return fmt::format("volume_count {} does not fit in 64 bits", excerpt(field));
  case Fault::none: break;
  }
  return "malformed line";
}

// Parses an unsigned decimal at p, which must be followed by `stop` (or, for
// the last field, by LF, CR LF or the end of text). Returns false with the
// fault to report if the field is empty, has another byte or overflows.
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

// Whether the n bytes at a and b are equal. Inlined for the short keys that
// dominate n-gram files: two overlapping 8-byte loads compare up to 16
// bytes with no call (memcmp was 9% of a profile). Both ranges must be
// readable for n bytes.
inline bool same_bytes(const char* a, const char* b, size_t n) {
  if (n >= 8 && n <= 16) {
    u64 a0, b0, a1, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n < 8) {
    for (size_t i = 0; i < n; i++)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

MapOutcome map_v2(std::string_view text, const YearFilter& years, FreqTable& table, OnError on_error) {
  MapOutcome out(on_error);
  const char* p = text.data();
  const char* const end = text.data() + text.size();

  // The key whose lines are being summed, and its running totals.
  const char* key = nullptr;
  size_t key_len = 0;
  u64 key_count = 0, key_volumes = 0;
  bool key_seen = false;  // some line of the key passed the year filter
  bool key_overflow = false;

  auto flush = [&] {
    if (key_seen) {
      std::string_view k(key, key_len);
      u64 hash = hash_key(k);
      table.add(k, hash, key_overflow ? COUNT_OVERFLOW : key_count, key_volumes);
    }
    key_count = key_volumes = 0;
    key_seen = key_overflow = false;
  };

  while (p < end) {
    const char* line = p;
    Fault fault = Fault::none;
    const char* fault_at = p;

    // Field 1: the n-gram. Same as the previous line's key?
    if (key && size_t(end - p) > key_len && p[key_len] == '\t' && same_bytes(p, key, key_len)) {
      p += key_len + 1;
    } else {
      const char* tab = static_cast<const char*>(std::memchr(p, '\t', end - p));
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', (tab ? tab : end) - p));
      if (!tab || nl) {
        fault = Fault::fields;
      } else if (tab == p) {
        fault = Fault::empty_ngram;
      } else if (std::memchr(p, '\0', tab - p)) {
        fault = Fault::nul_byte;
      } else {
        flush();
        key = p;
        key_len = tab - p;
        p = tab + 1;
      }
    }

    u64 year = 0, match = 0, volumes = 0;
    if (fault == Fault::none) {
      // Field 2: the year.
      fault_at = p;
      const char* start = p;
      bool fits = parse_u64(p, end, year);
      bool tab_follows = p < end && *p == '\t';
      bool line_ends = p == end || *p == '\n' || *p == '\r';
      if (p == start && !line_ends) {
        fault = Fault::bad_year;
      } else if (line_ends) {
        fault = Fault::fields;
      } else if (!tab_follows) {
        fault = Fault::bad_year;
      } else if (!fits || year > u64(MAX_YEAR)) {
        fault = Fault::year_range;
      } else {
        p++;
        // Field 3: match_count.
        fault_at = p;
        start = p;
        if (!parse_u64(p, end, match)) {
          fault = Fault::match_too_big;
        } else if (p == start || p >= end || *p != '\t') {
          fault = (p > start && p < end && (*p == '\n' || *p == '\r')) ? Fault::fields : Fault::bad_match;
        } else {
          p++;
          // Field 4: volume_count, the last field.
          fault_at = p;
          start = p;
          if (!parse_u64(p, end, volumes)) {
            fault = Fault::volumes_too_big;
          } else if (p == start) {
            fault = (p < end && *p == '\t') ? Fault::fields : Fault::bad_volumes;
          } else if (p < end && *p == '\n') {
            p++;
          } else if (p + 1 < end && p[0] == '\r' && p[1] == '\n') {
            p += 2;
          } else if (p == end || (p + 1 == end && *p == '\r')) {
            p = end;
          } else {
            fault = *p == '\t' ? Fault::fields : Fault::bad_volumes;
          }
        }
      }
    }

    if (fault != Fault::none) {
      const char* line_end = static_cast<const char*>(std::memchr(line, '\n', end - line));
      if (!line_end) line_end = end;
      std::string_view l(line, line_end - line);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      // On failure the totals gathered so far are discarded by the caller,
      // so the pending key need not be flushed. A skipped line adds nothing:
      // if it started a new key, that key has no counted year yet.
      if (!out.malformed({line - text.data(), out.lines, describe(fault, l, fault_at, line_end)})) return out;
      out.lines++;
      p = line_end == end ? end : line_end + 1;
      continue;
    }

    out.lines++;
    if (years.accepts(i64(year))) {
      key_seen = true;
      key_overflow |= !add_count(key_count, match);
      add_count(key_volumes, volumes);
    }
  }
  flush();
  return out;
}

}  // namespace ngfreq
