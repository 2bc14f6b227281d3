// Row formats. CSV lines end in CRLF as RFC 4180 says; every reader
// (Python's csv, DuckDB, spreadsheets) takes them. JSON keeps every byte of
// an n-gram recoverable: counting is by bytes, and Google's files hold some
// that are not UTF-8.
#include "ngfreq/row-format.h"

#include <fmt/format.h>

#include "ngfreq/field-parsing.h"
#include "ngfreq/key-sink.h"

namespace ngfreq {

std::string header_line(const RowLayout& layout) {
  if (layout.format != RowFormat::csv) return "";
  return fmt::format("ngram{},total{}\r\n", layout.by_year ? ",year" : "", layout.volumes ? ",volumes" : "");
}

void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char HEX[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    u8 c = u8(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence(s.substr(i));
      if (n > 0) {
        out.append(s.substr(i, n));
        i += n;
      } else {
        out += "\\udc";
        out += HEX[c >> 4];
        out += HEX[c & 15];
        i++;
      }
      continue;
    }
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) {
        out += "\\u00";
        out += HEX[c >> 4];
        out += HEX[c & 15];
      } else {
        out += char(c);
      }
    }
    i++;
  }
  out += '"';
}

void format_row(std::string& out, const RowLayout& layout, std::string_view ngram, i64 year, u64 total,
                u64 volumes) {
  auto number = [&](auto v) {
    fmt::format_int digits(v);
    out.append(digits.data(), digits.size());
  };
  switch (layout.format) {
  case RowFormat::tsv:
  case RowFormat::csv: {
    char sep = layout.format == RowFormat::tsv ? '\t' : ',';
    if (layout.format == RowFormat::tsv)
      out.append(ngram);
    else
      append_csv_field(out, ngram);
    if (layout.by_year) {
      out += sep;
      number(year);
    }
    out += sep;
    number(total);
    if (layout.volumes) {
      out += sep;
      number(volumes);
    }
    out += layout.format == RowFormat::tsv ? "\n" : "\r\n";
    return;
  }
  case RowFormat::jsonl:
    out += "{\"ngram\":";
    append_json_string(out, ngram);
    if (layout.by_year) {
      out += ",\"year\":";
      number(year);
    }
    out += ",\"total\":";
    number(total);
    if (layout.volumes) {
      out += ",\"volumes\":";
      number(volumes);
    }
    out += "}\n";
    return;
  }
}

void format_row(std::string& out, const RowLayout& layout, std::string_view key, u64 total, u64 volumes) {
  if (!layout.by_year) return format_row(out, layout, key, 0, total, volumes);
  auto [ngram, year] = split_year_key(key);
  format_row(out, layout, ngram, year, total, volumes);
}

TsvRow parse_tsv_row(std::string_view line, bool by_year) {
  auto last_number = [&]() {
    size_t tab = line.rfind('\t');
    if (tab == std::string_view::npos) throw Error("a row without its columns");  // a bug, not bad input
    const char* p = line.data() + tab + 1;
    u64 v = 0;
    parse_u64(p, line.data() + line.size(), v);
    line = line.substr(0, tab);
    return v;
  };
  TsvRow row;
  row.volumes = last_number();
  row.total = last_number();
  if (by_year) row.year = i64(last_number());
  row.ngram = line;
  return row;
}

}  // namespace ngfreq
