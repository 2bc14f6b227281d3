// The v3 (20200217) map loop: one line per n-gram, its years as
// comma-separated triples after it,
//
//   ngram TAB year,match_count,volume_count TAB year,match_count,volume_count ... LF
//
// A line is checked whole before anything of it is counted, so that with
// --on-error skip a bad triple at the end leaves the line out entirely.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "ngfreq/field-parsing.h"
#include "ngfreq/formats.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/scan-mode.h"

namespace ngfreq {

namespace {

struct Triple {
  i64 year;
  u64 match, volumes;
};

enum class Number { ok, bad, too_big, cut_short };

// Parses the number at q, which must end at a comma (left behind) or, when
// `last`, at the field's end. cut_short: digits, then the field ended.
Number parse_number(const char*& q, const char* field_end, u64& v, bool last) {
  const char* start = q;
  if (!parse_u64(q, field_end, v)) return Number::too_big;
  if (last) return q > start && q == field_end ? Number::ok : Number::bad;
  if (q > start && q == field_end) return Number::cut_short;
  if (q == start || *q != ',') return Number::bad;
  q++;
  return Number::ok;
}

// Parses the triples of one line, [p, end) without its LF; returns an empty
// string or the reason the line is malformed.
std::string parse_triples(const char* p, const char* end, std::vector<Triple>& out) {
  out.clear();
  for (int n = 1;; n++) {
    const char* tab = static_cast<const char*>(std::memchr(p, '\t', end - p));
    const char* field_end = tab ? tab : end;
    std::string_view field(p, field_end - p);
    auto bad = [&](std::string_view what) {
      return fmt::format("triple {} '{}': {}", n, excerpt(field), what);
    };
    if (field.empty()) return bad("empty");
    u64 year = 0, match = 0, volumes = 0;
    const char* q = p;
    constexpr std::string_view SHAPE = "expected year,match_count,volume_count";
    switch (parse_number(q, field_end, year, false)) {
    case Number::ok: break;
    case Number::cut_short: return bad(SHAPE);
    case Number::too_big: return bad(fmt::format("year is out of range 0-{}", MAX_YEAR));
    case Number::bad: return bad("year is not a number");
    }
    if (year > u64(MAX_YEAR)) return bad(fmt::format("year is out of range 0-{}", MAX_YEAR));
    switch (parse_number(q, field_end, match, false)) {
    case Number::ok: break;
    case Number::cut_short: return bad(SHAPE);
    case Number::too_big: return bad("match_count does not fit in 64 bits");
    case Number::bad: return bad("match_count is not a non-negative integer");
    }
    switch (parse_number(q, field_end, volumes, true)) {
    case Number::ok: break;
    case Number::too_big: return bad("volume_count does not fit in 64 bits");
    case Number::cut_short:
    case Number::bad: return bad("volume_count is not a non-negative integer");
    }
    out.push_back({i64(year), match, volumes});
    if (!tab) return {};
    p = tab + 1;
  }
}

// Why the line [line, content_end) (without its line end) is malformed, or
// "" with its triples in `triples`. The slow, thorough reading: it runs
// only when the fast path below meets something unexpected.
std::string check_line(const char* line, const char* content_end, std::vector<Triple>& triples) {
  const char* tab = static_cast<const char*>(std::memchr(line, '\t', content_end - line));
  if (content_end == line) return "empty line";
  if (!tab)
    return "expected an n-gram and year,match_count,volume_count triples separated by tabs, got 1 field";
  if (tab == line) return "empty n-gram";
  if (std::memchr(line, '\0', tab - line)) return "NUL byte in n-gram";
  return parse_triples(tab + 1, content_end, triples);
}

// The TAB that ends a well-formed n-gram field at p, or nullptr.
const char* ngram_end(const char* p, const char* end) {
  const char* tab = static_cast<const char*>(std::memchr(p, '\t', end - p));
  if (!tab || tab == p) return nullptr;
  size_t n = tab - p;
  if (std::memchr(p, '\n', n) || std::memchr(p, '\0', n)) return nullptr;
  return tab;
}

// One line's totals over the years the filter accepts; an overflow is
// noted as it happens and saturates at the end (add_count's contract).
struct LineTotals {
  u64 count = 0, volumes = 0;
  bool seen = false, count_overflow = false, volumes_overflow = false;

  void add(u64 match, u64 vols) {
    seen = true;
    count_overflow |= __builtin_add_overflow(count, match, &count);
    volumes_overflow |= __builtin_add_overflow(volumes, vols, &volumes);
  }
  bool overflowed() const { return count_overflow || count == COUNT_OVERFLOW; }
  u64 saturated_volumes() const { return volumes_overflow ? COUNT_OVERFLOW : volumes; }
};

// The number at p, leaving p after it; false if there is none or it does
// not fit in 64 bits.
inline bool scan_number(const char*& p, const char* end, u64& v) {
  if (end - p >= 8) {
    if (int n = parse_short_u64(p, v)) {
      p += n;
      return true;
    }
  }
  const char* start = p;
  return parse_u64(p, end, v) && p > start;
}

// The lean loop for the triples of the common shape, "yyyy,match,volumes"
// with counts of 1-8 digits within 16 bytes, of a count without
// --by-year, built as v2's sum_key_lines (v2-parser.cc): the year is only
// checked unless a filter needs its value (a template argument), the
// counts' digits are added bytewise and read once a batch of
// ALIGNED_SUMS_MAX triples, the batch a loop of its own, and a triple's
// shape is read off one classification of its 16 bytes
// (aligned_count_pair), so that the next triple's start does not wait on
// three loads in a row: 209 MB of v3, 1 job, 0.32 s -> 0.22 s. Adds what
// it reads to `totals`. Returns where it stopped: at the next line, with
// line_read set, or at a triple it leaves to scan_triples' loop. Not
// inlined, so that its few values stay in registers.
template <bool YearMatters>
[[gnu::noinline]] const char* sum_short_triples(const char* p, const char* end, const YearFilter years,
                                                LineTotals& totals, bool& line_read) {
  // The triple at p when of the common shape: the next one, with the
  // counts' digits aligned and the byte that ended it (TAB or LF).
  auto short_triple = [](const char* q, u64& year, u64& match, u64& volumes, char& after) -> const char* {
    const char* next = aligned_count_pair<',', true, true>(q, match, volumes);
    if (!next) return nullptr;
    if (YearMatters) year = four_digits_value(q);
    after = next[-1];
    return next;
  };
  // Triples start before `stop`, so that they have room for the loads.
  const char* const stop = end - std::min(size_t(end - p), size_t(21));
  line_read = false;
  for (bool reading = true; reading;) {
    AlignedCountSums sums;  // of the accepted triples
    for (;;) {
      u64 year = 0, match, volumes;
      char after;
      const char* next = p < stop ? short_triple(p, year, match, volumes, after) : nullptr;
      if (!next) {
        reading = false;
        break;
      }
      p = next;
      bool full = (!YearMatters || years.accepts(i64(year))) && sums.add(match, volumes);
      if (after == '\n') {
        line_read = true;
        reading = false;
        break;
      }
      if (full) break;
    }
    if (sums.lines) totals.add(aligned_digits_value(sums.match), aligned_digits_value(sums.volumes));
  }
  return p;
}

// sum_short_triples for the year filter at hand: without one, every year a
// triple can hold counts, and the loop neither computes nor compares years.
const char* sum_short_triples(const char* p, const char* end, const YearFilter years, LineTotals& totals,
                              bool& line_read) {
  return years.leaves_out_a_year() ? sum_short_triples<true>(p, end, years, totals, line_read)
                                   : sum_short_triples<false>(p, end, years, totals, line_read);
}

// The fast path: reads the triples at p (just after the n-gram's TAB) in
// one pass, leaving p at the next line. Accepted years go to `totals`, or
// with by_year to `triples`. False at anything unexpected; the caller then
// reads the line again with check_line, from fresh totals and triples.
bool scan_triples(const char*& p, const char* end, const MapOptions& opts, LineTotals& totals,
                  std::vector<Triple>& triples) {
  for (;;) {
    // Most triples take the lean loop; the one it stops at is read below.
    if (!opts.keys.by_year) {
      bool line_read;
      p = sum_short_triples(p, end, opts.years, totals, line_read);
      if (line_read) return true;
    }
    u64 year = 0, match = 0, volumes = 0;
    if (end - p >= 5 && four_digits_then(p, ',')) {
      year = four_digits_value(p);
      p += 5;
    } else {
      if (!scan_number(p, end, year) || p == end || *p != ',' || year > u64(MAX_YEAR)) return false;
      p++;
    }
    if (!scan_number(p, end, match) || p == end || *p != ',') return false;
    p++;
    if (!scan_number(p, end, volumes)) return false;
    if (opts.years.accepts(i64(year))) {
      if (opts.keys.by_year)
        triples.push_back({i64(year), match, volumes});
      else
        totals.add(match, volumes);
    }
    if (p == end) return true;
    char c = *p++;
    if (c == '\t') continue;
    if (c == '\n') return true;
    if (c != '\r') return false;
    if (p == end) return true;
    return *p++ == '\n';
  }
}

}  // namespace

MapOutcome map_v3(std::string_view text, const MapOptions& opts, FreqTable& table) {
  MapOutcome out(opts.on_error);
  KeySink sink(opts.keys, table);
  std::vector<Triple> triples;
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  // Scalar (scan-mode.h): every line takes the thorough reading.
  const bool wide = scan_mode() == ScanMode::wide;
  while (p < end) {
    const char* line = p;
    const char* tab = ngram_end(p, end);
    LineTotals totals;
    triples.clear();
    if (tab) p = tab + 1;
    if (!tab || !wide || !scan_triples(p, end, opts, totals, triples)) {
      const char* nl = static_cast<const char*>(std::memchr(line, '\n', end - line));
      const char* line_end = nl ? nl : end;
      p = nl ? nl + 1 : end;
      const char* content_end = line_end > line && line_end[-1] == '\r' ? line_end - 1 : line_end;
      std::string reason = check_line(line, content_end, triples);
      if (!reason.empty()) {
        if (!out.malformed({line - text.data(), out.lines, std::move(reason)})) return out;
        out.lines++;
        continue;
      }
      // Well-formed after all (the fast path is only ever stricter): count
      // what the thorough reading found, not what the fast path added
      // before it stopped.
      totals = {};
      tab = static_cast<const char*>(std::memchr(line, '\t', content_end - line));
      std::erase_if(triples, [&](const Triple& t) { return !opts.years.accepts(t.year); });
      if (!opts.keys.by_year) {
        for (const Triple& t : triples) totals.add(t.match, t.volumes);
        triples.clear();
      }
    }
    out.lines++;
    std::string_view ngram(line, tab - line);
    if (opts.keys.only && !sink.wanted(ngram)) continue;  // ngfreq series: not a query's
    for (const Triple& t : triples) sink.add(ngram, t.year, t.match, t.volumes);
    if (totals.seen)
      sink.add(ngram, 0, totals.overflowed() ? COUNT_OVERFLOW : totals.count, totals.saturated_volumes());
  }
  return out;
}

}  // namespace ngfreq
