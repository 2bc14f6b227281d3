// The map loop of the formats with one line per n-gram and year: v2, and
// v1, which has a page_count between match_count and volume_count. In
// Google's files the lines of one n-gram are consecutive (one per year), so
// the loop keeps a running total for the current key and touches the hash
// table only when the key changes: for the real data that is about once per
// 50 lines. The key comparison checks the previous key followed by TAB,
// which also proves the key field ends where it did before. With --by-year
// every line is its own key.
//
// Numbers are parsed by hand: no locale, no allocation, and a count of more
// than 64 bits is detected instead of wrapped.
#include "ngfreq/v2-parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#  include <emmintrin.h>
#endif

#include "ngfreq/field-parsing.h"
#include "ngfreq/formats.h"
#include "ngfreq/hash.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/scan-mode.h"

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
  bad_pages,
  pages_too_big,
  bad_volumes,
  volumes_too_big,
};

i64 count_fields(std::string_view line) {
  i64 n = 1;
  for (char c : line) n += c == '\t';
  return n;
}

// The field that ends the first run of digits starting at `p` (or the whole
// rest of the line when the number is the last field).
std::string_view field_at(const char* p, const char* line_end) {
  const char* q = p;
  while (q < line_end && *q != '\t') q++;
  return {p, size_t(q - p)};
}

std::string describe(Fault f, int fields, std::string_view line, const char* at, const char* line_end) {
  std::string_view field = field_at(at, line_end);
  switch (f) {
  case Fault::fields:
    if (line.empty()) return "empty line";
    return fmt::format("expected {} tab-separated fields, got {}", fields, count_fields(line));
  case Fault::empty_ngram: return "empty n-gram";
  case Fault::nul_byte: return "NUL byte in n-gram";
  case Fault::bad_year: return fmt::format("year '{}' is not a number", excerpt(field));
  case Fault::year_range: return fmt::format("year {} is out of range 0-{}", excerpt(field), MAX_YEAR);
  case Fault::bad_match: return fmt::format("match_count '{}' is not a non-negative integer", excerpt(field));
  case Fault::match_too_big: return fmt::format("match_count {} does not fit in 64 bits", excerpt(field));
  case Fault::bad_pages: return fmt::format("page_count '{}' is not a non-negative integer", excerpt(field));
  case Fault::pages_too_big: return fmt::format("page_count {} does not fit in 64 bits", excerpt(field));
  case Fault::bad_volumes:
    return fmt::format("volume_count '{}' is not a non-negative integer", excerpt(field));
  case Fault::volumes_too_big: return fmt::format("volume_count {} does not fit in 64 bits", excerpt(field));
  case Fault::none: break;
  }
  return "malformed line";
}

// Parses a count field at p: a middle field must end in TAB (p is left past
// it), the last one must end the line (p is left at the next line). Returns
// the fault to report, if any.
inline Fault parse_count(const char*& p, const char* end, u64& v, bool last, Fault bad, Fault too_big) {
  const char* start = p;
  if (!parse_u64(p, end, v)) return too_big;
  if (!last) {
    if (p == start || p >= end || *p != '\t')
      return (p > start && p < end && (*p == '\n' || *p == '\r')) ? Fault::fields : bad;
    p++;
    return Fault::none;
  }
  if (p == start) return (p < end && *p == '\t') ? Fault::fields : bad;
  if (p < end && *p == '\n') {
    p++;
  } else if (p + 1 < end && p[0] == '\r' && p[1] == '\n') {
    p += 2;
  } else if (p == end || (p + 1 == end && *p == '\r')) {
    p = end;
  } else {
    return *p == '\t' ? Fault::fields : bad;
  }
  return Fault::none;
}

// Steps over the rest of a v2 line, "year TAB match TAB volumes EOL", when
// it fits in 32 bytes (a year of 1-4 digits, counts of 1-19 digits: nothing
// can be out of range), checking what the full parse checks without
// computing the numbers: for the lines of an n-gram no query wants. Returns
// the next line, or nullptr when the line needs the full parse (a long
// line, the end of the text near, or anything malformed, which the full
// parse then reports as always).
//
// With SSE2 (every x86-64) the 32 bytes are classified at once and the
// line's shape read off bit masks, so no load waits for the length of the
// field before it; without SSE2 every line takes the full parse.
inline const char* skip_short_v2_fields(const char* p, const char* end) {
  if (end - p < 32) return nullptr;  // room for every load below
#ifdef __SSE2__
  auto classify = [](const char* at, u32& digit, u32& tab, u32& lf) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    // Bytes '0'..'9' as signed bytes: above '0' - 1 and below '9' + 1.
    __m128i d =
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    digit = u32(_mm_movemask_epi8(d));
    tab = u32(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
    lf = u32(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
  };
  u32 d0, t0, l0, d1, t1, l1;
  classify(p, d0, t0, l0);
  classify(p + 16, d1, t1, l1);
  u32 digit = d0 | d1 << 16, tab = t0 | t1 << 16, lf = l0 | l1 << 16;
  if (!lf) return nullptr;
  int nl = __builtin_ctz(lf);
  int content = nl > 0 && p[nl - 1] == '\r' ? nl - 1 : nl;  // CR LF
  u32 before = (1u << content) - 1;                         // content < 32: lf has a bit
  if (((digit | tab) & before) != before) return nullptr;
  // Exactly two tabs: clearing the lowest set bit twice leaves nothing.
  // (Not __builtin_popcount: without -mpopcnt it is a libgcc call, 9% of
  // a series run.)
  u32 tabs = tab & before;
  u32 after_first = tabs & (tabs - 1);
  if (tabs == 0 || after_first == 0 || (after_first & (after_first - 1)) != 0) return nullptr;
  int first = __builtin_ctz(tabs), second = __builtin_ctz(after_first);
  int match_digits = second - first - 1, volume_digits = content - second - 1;
  if (first < 1 || first > 4 || match_digits < 1 || match_digits > 19 || volume_digits < 1 ||
      volume_digits > 19)
    return nullptr;
  return p + nl + 1;
#else
  return nullptr;  // the full parse
#endif
}

// The key being summed and its TAB (its own line's), n = key_len + 1
// bytes, ready to be compared with the start of a line: two 16-byte
// compares, of its first 16 bytes and its last 16 (overlapping), masked to
// n bytes when it is shorter. A key of up to 31 bytes, nearly every
// n-gram, takes no loop, no call and no branch on its length (a byte loop
// for keys under 8 bytes, a fifth of the `a` profile's lines, and memcmp
// above 15 were a fifth of a line's instructions); a longer one memcmp.
class KeyAndTab {
 public:
  /// `key` must be readable for max(n, 16) bytes.
  KeyAndTab(const char* key, size_t n) : key_(key), n_(n) {
#ifdef __SSE2__
    if (n <= 32) {
      tail_at_ = n <= 16 ? 0 : n - 16;
      significant_ = n >= 16 ? 0xFFFF : (1u << n) - 1;
      head_ = load(key);
      tail_ = load(key + tail_at_);
    }
#endif
  }

  /// Whether the line at p starts with the key and its TAB; p must be
  /// readable for max(n, 16) bytes.
  bool starts(const char* p) const {
#ifdef __SSE2__
    if (n_ <= 32) {
      __m128i same = _mm_and_si128(_mm_cmpeq_epi8(load(p), head_), _mm_cmpeq_epi8(load(p + tail_at_), tail_));
      return (~u32(_mm_movemask_epi8(same)) & significant_) == 0;
    }
#endif
    return std::memcmp(p, key_, n_) == 0;
  }

 private:
  const char* key_;
  size_t n_;
#ifdef __SSE2__
  static __m128i load(const char* at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); }
  __m128i head_ = _mm_setzero_si128(), tail_ = _mm_setzero_si128();
  size_t tail_at_ = 0;
  u32 significant_ = 0;
#endif
};

// Whether the line at p starts with `key` and a TAB: one more line of the
// n-gram being summed. `key` is the start of an earlier line of the text,
// with a TAB after its key_len bytes (so it is readable for as many bytes
// as p is).
template <bool Wide>
inline bool line_has_key(const char* p, const char* end, const char* key, size_t key_len) {
  if constexpr (Wide)
    if (size_t(end - p) >= key_len + 16) return KeyAndTab(key, key_len + 1).starts(p);
  if (size_t(end - p) <= key_len || p[key_len] != '\t') return false;
  for (size_t i = 0; i < key_len; i++)
    if (p[i] != key[i]) return false;
  return true;
}

// Parses the rest of a v2 line, "year TAB match TAB volumes LF", when every
// field is short (a year of 1-4 digits, counts of 1-7: read with SWAR, no
// loop) and the text has 24 bytes left at p; leaves p at the next line.
// Else returns false with p unchanged, and the line takes the full parse,
// which also reports what is wrong with it.
inline bool parse_short_v2_fields(const char*& p, const char* end, u64& year, u64& match, u64& volumes) {
  if (end - p < 24) return false;  // room for the loads of parse_short_u64
  const char* q = p;
  int n = parse_short_u64(q, year);
  if (n == 0 || n > 4 || q[n] != '\t') return false;
  q += n + 1;
  n = parse_short_u64(q, match);
  if (n == 0 || q[n] != '\t') return false;
  q += n + 1;
  n = parse_short_u64(q, volumes);
  if (n == 0 || q[n] != '\n') return false;
  p = q + n + 1;
  return true;
}

// The running totals of the key being summed.
struct KeyTotals {
  u64 count = 0, volumes = 0;
  bool seen = false;  // some line of the key passed the year filter
  bool overflow = false;
};

// Adds the lines at p that follow of the key being summed, while their
// fields are short (a year of four digits, counts of 1-8) and well formed,
// to `totals`, counting them in `lines`; returns where it stopped: at the
// first line of another key, or one the main loop must parse (which also
// reports what is wrong with it, or counts a year of 1-3 digits). Stops
// where fewer than 28 bytes follow a line's key: room for its loads.
//
// Its speed is what a 1-gram count's is, so it is lean. A function of its
// own, with few values live, so that they stay in registers (the batches
// of ALIGNED_SUMS_MAX lines are a loop of their own for the same reason);
// the year's value is computed and compared only when it matters (a year
// filter, a template argument); the counts are not read one by one but
// their digits added bytewise, read once a batch; the key is compared by
// KeyAndTab; and the counts' ends are found at once (aligned_count_pair).
// A line of the `a` profile took 143 instructions in the whole process,
// 102 with all but the last (cachegrind); the last adds instructions but
// takes the loads off the chain from one line to the next.
template <bool YearMatters>
[[gnu::noinline]] const char* sum_key_lines(const char* p, const char* end, const char* key, size_t key_len,
                                            const YearFilter years, KeyTotals& totals, i64& lines) {
  // Lines start before `stop`, so that they have room for the loads; and
  // so has the key, for KeyAndTab's (its line is before p's).
  const char* const stop = end - std::min(size_t(end - p), key_len + 27);
  if (p >= stop) return p;
  const KeyAndTab key_and_tab(key, key_len + 1);
  // The fields after a line's key, when short and well formed: the next
  // line, with the counts' digits aligned.
  auto short_fields = [](const char* q, u64& year, u64& match, u64& volumes) -> const char* {
    if (!four_digits_then(q, '\t')) return nullptr;
    if (YearMatters) year = four_digits_value(q);
    return aligned_count_pair<'\t', false, false>(q + 5, match, volumes);
  };
  KeyTotals t = totals;
  i64 n = 0;
  for (bool reading = true; reading;) {
    // A batch of lines whose counts' digits are summed bytewise.
    AlignedCountSums sums;
    for (;;) {
      u64 year = 0, match, volumes;
      const char* next =
          p < stop && key_and_tab.starts(p) ? short_fields(p + key_len + 1, year, match, volumes) : nullptr;
      if (!next) {
        reading = false;
        break;
      }
      p = next;
      if constexpr (YearMatters) {
        n++;
        if (!years.accepts(i64(year))) continue;
      }
      if (sums.add(match, volumes)) break;
    }
    if (!YearMatters) n += sums.lines;
    if (sums.lines) {
      t.seen = true;
      t.overflow |= !add_count(t.count, aligned_digits_value(sums.match));
      add_count(t.volumes, aligned_digits_value(sums.volumes));
    }
  }
  totals = t;
  lines += n;
  return p;
}

// sum_key_lines for the year filter at hand: without one, every year a
// line can hold counts, and the loop neither computes nor compares years.
const char* sum_key_lines(const char* p, const char* end, const char* key, size_t key_len,
                          const YearFilter years, KeyTotals& totals, i64& lines) {
  return years.leaves_out_a_year() ? sum_key_lines<true>(p, end, key, key_len, years, totals, lines)
                                   : sum_key_lines<false>(p, end, key, key_len, years, totals, lines);
}

// V1: a page_count field between match_count and volume_count. Wide: the
// shortcuts above (scan-mode.h); without them every line takes the full
// parse.
template <bool V1, bool Wide>
MapOutcome map_lines(std::string_view text, const MapOptions& opts, FreqTable& table) {
  constexpr int FIELDS = V1 ? 5 : 4;
  MapOutcome out(opts.on_error);
  const YearFilter& years = opts.years;
  const bool by_year = opts.keys.by_year;
  KeySink sink(opts.keys, table);
  const char* p = text.data();
  const char* const end = text.data() + text.size();

  // The key whose lines are being summed, and its running totals.
  const char* key = nullptr;
  size_t key_len = 0;
  KeyTotals totals;

  // With a key filter (ngfreq series) most keys are not wanted: asked once
  // a key, so that their lines are parsed (every line is checked) but not
  // added.
  const bool filtering = opts.keys.only != nullptr;
  bool key_wanted = true;

  auto flush = [&] {
    if (totals.seen && key_wanted)
      sink.add(std::string_view(key, key_len), 0, totals.overflow ? COUNT_OVERFLOW : totals.count,
               totals.volumes);
    totals = {};
  };

  auto count_line = [&](u64 year, u64 match, u64 volumes) {
    if (!years.accepts(i64(year))) return;
    if (by_year) {
      if (key_wanted) sink.add(std::string_view(key, key_len), i64(year), match, volumes);
    } else {
      totals.seen = true;
      totals.overflow |= !add_count(totals.count, match);
      add_count(totals.volumes, volumes);
    }
  };

  while (p < end) {
    const char* line = p;
    Fault fault = Fault::none;
    const char* fault_at = p;

    // Field 1: the n-gram. Same as the previous line's key?
    if (key && line_has_key<Wide>(p, end, key, key_len)) {
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
        key_wanted = !filtering || sink.wanted(std::string_view(key, key_len));
      }
    }

    if (!V1 && Wide && !key_wanted && fault == Fault::none) {
      // An n-gram no query wants: its lines are checked, not counted, in
      // a loop of their own while they stay short and well formed. A line
      // that is not goes round the main loop and takes the full parse.
      if (const char* next = skip_short_v2_fields(p, end)) {
        do {
          out.lines++;
          p = next;
          if (!line_has_key<Wide>(p, end, key, key_len)) break;
          next = skip_short_v2_fields(p + key_len + 1, end);
        } while (next);
        continue;
      }
    }

    u64 year = 0, match = 0, pages = 0, volumes = 0;
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
        // The counts; volume_count ends the line.
        fault_at = p;
        fault = parse_count(p, end, match, false, Fault::bad_match, Fault::match_too_big);
        if (V1 && fault == Fault::none) {
          fault_at = p;
          fault = parse_count(p, end, pages, false, Fault::bad_pages, Fault::pages_too_big);
        }
        if (fault == Fault::none) {
          fault_at = p;
          fault = parse_count(p, end, volumes, true, Fault::bad_volumes, Fault::volumes_too_big);
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
      if (!out.malformed({line - text.data(), out.lines, describe(fault, FIELDS, l, fault_at, line_end)}))
        return out;
      out.lines++;
      p = line_end == end ? end : line_end + 1;
      continue;
    }

    out.lines++;
    count_line(year, match, volumes);
    if constexpr (!V1 && Wide) {
      // The next lines of the same n-gram, while short and well formed, in
      // a loop of their own, as the unwanted ones above.
      if (!by_year) {
        p = sum_key_lines(p, end, key, key_len, years, totals, out.lines);
      } else {
        while (line_has_key<Wide>(p, end, key, key_len)) {
          const char* fields = p + key_len + 1;
          if (!parse_short_v2_fields(fields, end, year, match, volumes)) break;
          p = fields;
          out.lines++;
          count_line(year, match, volumes);
        }
      }
    }
  }
  flush();
  return out;
}

// The map loop of the process's scan mode.
template <bool V1>
MapOutcome map_in_scan_mode(std::string_view text, const MapOptions& opts, FreqTable& table) {
  return scan_mode() == ScanMode::wide ? map_lines<V1, true>(text, opts, table)
                                       : map_lines<V1, false>(text, opts, table);
}

}  // namespace

MapOutcome map_v2(std::string_view text, const YearFilter& years, FreqTable& table, OnError on_error) {
  MapOptions opts;
  opts.years = years;
  opts.on_error = on_error;
  return map_in_scan_mode<false>(text, opts, table);
}

MapOutcome map_v2(std::string_view text, const MapOptions& opts, FreqTable& table) {
  return map_in_scan_mode<false>(text, opts, table);
}

MapOutcome map_v1(std::string_view text, const MapOptions& opts, FreqTable& table) {
  return map_in_scan_mode<true>(text, opts, table);
}

}  // namespace ngfreq
