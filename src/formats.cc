// Dispatch to the parser of a format, and telling the format of a file from
// its first line: a v3 line has commas in its second field, v1 and v2 lines
// have five and four tab-separated fields of which all but the first are
// numbers, and a line without a tab is text. Anything else is an error that
// shows the line, rather than a guess that would count nonsense.
#include "ngfreq/formats.h"

#include <fmt/format.h>

#include <algorithm>

#include "ngfreq/field-parsing.h"

namespace ngfreq {

TagFilter parse_tag_filter(std::string_view name) {
  if (name == "keep") return TagFilter::keep;
  if (name == "drop") return TagFilter::drop;
  if (name == "only") return TagFilter::only;
  throw UsageError(fmt::format("tags must be keep, drop or only, not '{}'", name));
}

MapOutcome map_text(Format format, std::string_view text, const MapOptions& opts, FreqTable& table) {
  switch (format) {
  case Format::v1: return map_v1(text, opts, table);
  case Format::v3: return map_v3(text, opts, table);
  case Format::text: return map_words(text, opts, table);
  case Format::v2:
  case Format::automatic: break;
  }
  return map_v2(text, opts, table);
}

const char* format_name(Format f) {
  switch (f) {
  case Format::automatic: return "auto";
  case Format::v1: return "v1";
  case Format::v2: return "v2";
  case Format::v3: return "v3";
  case Format::text: return "text";
  }
  return "?";
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "1999,12,7"
bool is_triple(std::string_view s) {
  size_t a = s.find(','), b = a == s.npos ? s.npos : s.find(',', a + 1);
  return b != s.npos && all_digits(s.substr(0, a)) && all_digits(s.substr(a + 1, b - a - 1)) &&
         all_digits(s.substr(b + 1));
}

}  // namespace

Format detect_format(std::string_view head, const std::string& path) {
  // The first non-empty line; a last line cut off by the end of `head` is
  // still enough to tell.
  std::string_view line;
  i64 line_index = 0;
  while (!head.empty() && line.empty()) {
    line_index++;
    size_t nl = head.find('\n');
    line = head.substr(0, nl);
    head = nl == head.npos ? std::string_view() : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  }
  if (line.empty()) return Format::v2;  // nothing to count: any format will do
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == line.npos ? line.npos : tab - start));
    if (tab == line.npos) break;
    start = tab + 1;
  }
  if (fields.size() == 1) return Format::text;
  if (is_triple(fields[1])) return Format::v3;
  bool numbers = std::all_of(fields.begin() + 1, fields.end(), all_digits);
  if (numbers && fields.size() == 4) return Format::v2;
  if (numbers && fields.size() == 5) return Format::v1;
  throw InputError(path, line_index,
                   fmt::format("cannot tell the format from the first line '{}' ({} tab-separated fields, "
                               "not v1, v2, v3 or text): name it with -f",
                               excerpt(line), fields.size()));
}

}  // namespace ngfreq
