// The v3 (20200217) map loop: one line per n-gram, its years as
// comma-separated triples after it,
//
//   ngram TAB year,match_count,volume_count TAB year,match_count,volume_count ... LF
//
// A line is checked whole before anything of it is counted, so that with
// --on-error skip a bad triple at the end leaves the line out entirely.
#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "ngfreq/field-parsing.h"
#include "ngfreq/formats.h"
#include "ngfreq/key-sink.h"

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

}  // namespace

MapOutcome map_v3(std::string_view text, const MapOptions& opts, FreqTable& table) {
  MapOutcome out(opts.on_error);
  KeySink sink(opts.keys, table);
  std::vector<Triple> triples;
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  while (p < end) {
    const char* line = p;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* line_end = nl ? nl : end;
    p = nl ? nl + 1 : end;
    const char* content_end = line_end > line && line_end[-1] == '\r' ? line_end - 1 : line_end;
    const char* tab = static_cast<const char*>(std::memchr(line, '\t', content_end - line));

    std::string reason;
    if (content_end == line)
      reason = "empty line";
    else if (!tab)
      reason = "expected an n-gram and year,match_count,volume_count triples separated by tabs, got 1 field";
    else if (tab == line)
      reason = "empty n-gram";
    else if (std::memchr(line, '\0', tab - line))
      reason = "NUL byte in n-gram";
    else
      reason = parse_triples(tab + 1, content_end, triples);
    if (!reason.empty()) {
      if (!out.malformed({line - text.data(), out.lines, std::move(reason)})) return out;
      out.lines++;
      continue;
    }
    out.lines++;

    std::string_view ngram(line, tab - line);
    u64 count = 0, volumes = 0;
    bool seen = false, overflow = false;
    for (const Triple& t : triples) {
      if (!opts.years.accepts(t.year)) continue;
      if (opts.keys.by_year) {
        sink.add(ngram, t.year, t.match, t.volumes);
        continue;
      }
      seen = true;
      overflow |= !add_count(count, t.match);
      add_count(volumes, t.volumes);
    }
    if (seen) sink.add(ngram, 0, overflow ? COUNT_OVERFLOW : count, volumes);
  }
  return out;
}

}  // namespace ngfreq
