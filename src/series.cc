#include "ngfreq/series.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "ngfreq/field-parsing.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/v2-parser.h"

namespace ngfreq {

namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool has_wildcard(const NgramPattern& pattern) {
  for (const TokenPattern& t : pattern)
    if (t.kind != TokenPattern::Kind::word) return true;
  return false;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw Error(fmt::format("cannot read '{}': {}", path, errno_string()));
  return text.str();
}

// A whole field of digits that fits in 64 bits.
bool parse_number(std::string_view s, u64& v) {
  const char* p = s.data();
  const char* end = s.data() + s.size();
  return !s.empty() && parse_u64(p, end, v) && p == end;
}

}  // namespace

std::vector<SeriesQuery> parse_queries(const std::vector<std::string>& texts, bool ignore_case) {
  std::vector<SeriesQuery> queries;
  for (const std::string& text : texts) {
    if (text.find_first_of("\t\r\n") != std::string::npos)
      throw UsageError(fmt::format("query '{}' holds a TAB or a line break", text));
    SeriesQuery q;
    q.label = text;
    std::string_view rest = text;
    while (true) {
      size_t bar = rest.find('|');
      std::string_view member = trim_spaces(rest.substr(0, bar));
      if (member.empty()) throw UsageError(fmt::format("query '{}' has an empty n-gram", text));
      std::string key;
      if (ignore_case)
        fold_case(member, key);
      else
        key = member;
      if (NgramPattern pattern = parse_pattern(key); has_wildcard(pattern)) {
        if (bar != std::string_view::npos || !q.members.empty())
          throw UsageError(fmt::format("query '{}': a wildcard cannot be part of a group", text));
        q.wildcard = true;
        q.pattern = std::move(pattern);
        break;
      }
      if (std::find(q.members.begin(), q.members.end(), key) == q.members.end())
        q.members.push_back(std::move(key));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

std::vector<std::string> read_query_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream text(read_text_file(path));
  for (std::string line; std::getline(text, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!trim_spaces(line).empty()) lines.push_back(line);
  }
  return lines;
}

std::shared_ptr<const KeyFilter> query_filter(const std::vector<SeriesQuery>& queries) {
  auto filter = std::make_shared<KeyFilter>();
  for (const SeriesQuery& q : queries) {
    for (const std::string& m : q.members) filter->keep(m);
    if (q.wildcard) filter->keep(q.pattern);
  }
  return filter;
}

std::vector<SeriesQuery> expand_wildcards(const std::vector<SeriesQuery>& queries,
                                          const std::unordered_map<std::string, YearCounts>& counts,
                                          int expand, std::vector<std::string>& unmatched) {
  std::vector<SeriesQuery> out;
  for (const SeriesQuery& q : queries) {
    if (!q.wildcard) {
      out.push_back(q);
      continue;
    }
    std::vector<std::pair<u64, std::string_view>> found;  // (matches, n-gram)
    for (const auto& [ngram, by_year] : counts) {
      if (!pattern_matches(q.pattern, ngram)) continue;
      u64 sum = 0;
      for (const auto& [year, c] : by_year) sum += c.first;
      if (sum > 0) found.emplace_back(sum, ngram);
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (found.empty()) {
      unmatched.push_back(q.label);
      out.push_back({q.label, {}, false, {}});
    }
    for (size_t i = 0; i < found.size() && i < size_t(expand); i++)
      out.push_back({std::string(found[i].second), {std::string(found[i].second)}, false, {}});
  }
  return out;
}

std::map<i64, u64> read_total_counts(const std::string& path) {
  std::string text = read_text_file(path);
  std::map<i64, u64> totals;
  i64 entry = 0;
  size_t p = 0;
  while (true) {
    p = text.find_first_not_of(" \t\r\n", p);
    if (p == std::string::npos) break;
    size_t end = std::min(text.find_first_of(" \t\r\n", p), text.size());
    std::string_view token(text.data() + p, end - p);
    p = end;
    entry++;
    auto bad = [&](const std::string& reason) {
      return InputError(path, fmt::format("entry {}", entry), fmt::format("{}: '{}'", reason, token));
    };
    u64 fields[4];
    size_t start = 0;
    for (int n = 0; n < 4; n++) {
      size_t comma = n < 3 ? token.find(',', start) : token.size();
      if (comma == std::string_view::npos || !parse_number(token.substr(start, comma - start), fields[n]))
        throw bad("expected year,match_count,page_count,volume_count");
      start = comma + 1;
    }
    if (fields[0] > u64(MAX_YEAR)) throw bad(fmt::format("the year is past {}", MAX_YEAR));
    if (!totals.emplace(i64(fields[0]), fields[1]).second)
      throw bad(fmt::format("year {} is given twice", fields[0]));
  }
  if (totals.empty()) throw InputError(path, "entry 1", "no total counts in the file");
  return totals;
}

SeriesValue series_value_named(std::string_view name, bool have_totals) {
  if (name.empty()) return have_totals ? SeriesValue::relative : SeriesValue::count;
  if (name == "count") return SeriesValue::count;
  if (name == "volumes") return SeriesValue::volumes;
  if (name == "relative") return SeriesValue::relative;
  throw UsageError(fmt::format("value must be count, volumes or relative, not '{}'", name));
}

double series_scale_named(std::string_view name) {
  if (name == "percent") return 100;
  if (name == "million") return 1e6;
  if (name == "fraction") return 1;
  throw UsageError(fmt::format("per must be percent, million or fraction, not '{}'", name));
}

SeriesTable make_series(const std::vector<SeriesQuery>& queries,
                        const std::unordered_map<std::string, YearCounts>& counts,
                        const std::map<i64, u64>* totals, const SeriesSettings& settings) {
  // The range: as asked, else the years any query matched.
  i64 first = settings.since.value_or(i64(1) << 40), last = settings.until.value_or(-1);
  for (const SeriesQuery& q : queries)
    for (const std::string& m : q.members) {
      auto found = counts.find(m);
      if (found == counts.end() || found->second.empty()) continue;
      if (!settings.since) first = std::min(first, found->second.begin()->first);
      if (!settings.until) last = std::max(last, found->second.rbegin()->first);
    }
  SeriesTable table;
  for (i64 y = first; y <= last; y++) table.years.push_back(y);
  table.integral = settings.value != SeriesValue::relative && settings.smoothing == 0;

  for (const SeriesQuery& q : queries) {
    table.labels.push_back(q.label);
    // The members' counts summed a year: each member's years walked once
    // (a lookup a member and year was most of the time of 1,000 queries).
    std::vector<u64> sums(table.years.size(), 0);
    for (const std::string& m : q.members) {
      auto found = counts.find(m);
      if (found == counts.end()) continue;
      for (auto at = found->second.lower_bound(first); at != found->second.end() && at->first <= last; ++at)
        sums[at->first - first] +=
            settings.value == SeriesValue::volumes ? at->second.second : at->second.first;
    }
    std::vector<double> raw(table.years.size(), 0.0);
    for (size_t i = 0; i < table.years.size(); i++) {
      i64 year = table.years[i];
      u64 sum = sums[i];
      if (settings.value != SeriesValue::relative) {
        raw[i] = double(sum);
        continue;
      }
      auto total = totals->find(year);
      if (total == totals->end() || total->second == 0) {
        // A year with no books has no share; a match there means the totals
        // file does not belong with the inputs.
        if (sum != 0)
          throw Error(fmt::format("{}: no total count for {}, where '{}' has {} matches",
                                  settings.totals_path, year, q.label, sum));
        continue;
      }
      raw[i] = double(sum) / double(total->second) * settings.scale;
    }
    // The Viewer's smoothing: the mean over the year and `smoothing` years
    // each side, fewer where the range ends.
    std::vector<double> smoothed(raw.size());
    i64 n = i64(raw.size()), w = settings.smoothing;
    for (i64 i = 0; i < n; i++) {
      i64 lo = std::max<i64>(0, i - w), hi = std::min(n - 1, i + w);
      double sum = 0;
      for (i64 j = lo; j <= hi; j++) sum += raw[j];
      smoothed[i] = sum / double(hi - lo + 1);
    }
    table.values.push_back(std::move(smoothed));
  }
  return table;
}

std::string format_series(const SeriesTable& table, RowFormat format) {
  std::string out;
  // Appended in place, whole numbers through an integer: a table of 1,000
  // queries has half a million values, and a string each took 0.1 s.
  auto value = [&](double v) {
    if (table.integral && v >= 0 && v < 0x1p63) {
      char digits[24];
      out.append(digits, std::to_chars(digits, digits + sizeof digits, i64(v)).ptr);
    } else if (table.integral)
      fmt::format_to(std::back_inserter(out), "{:.0f}", v);
    else
      fmt::format_to(std::back_inserter(out), "{}", v);
  };
  if (format == RowFormat::jsonl) {
    for (size_t q = 0; q < table.labels.size(); q++)
      for (size_t y = 0; y < table.years.size(); y++) {
        out += "{\"query\":";
        append_json_string(out, table.labels[q]);
        fmt::format_to(std::back_inserter(out), ",\"year\":{},\"value\":", table.years[y]);
        value(table.values[q][y]);
        out += "}\n";
      }
    return out;
  }
  const bool csv = format == RowFormat::csv;
  const char* separator = csv ? "," : "\t";
  const char* line_end = csv ? "\r\n" : "\n";
  out += "year";
  for (const std::string& label : table.labels) {
    out += separator;
    if (csv)
      append_csv_field(out, label);
    else
      out += label;
  }
  out += line_end;
  for (size_t y = 0; y < table.years.size(); y++) {
    out += std::to_string(table.years[y]);
    for (size_t q = 0; q < table.labels.size(); q++) {
      out += separator;
      value(table.values[q][y]);
    }
    out += line_end;
  }
  return out;
}

}  // namespace ngfreq
