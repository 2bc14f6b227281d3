// How a result row is written: TSV (the default, the corpus's own shape),
// CSV quoted per RFC 4180, or JSON Lines. A row is an n-gram, with
// --by-year its year, its total and with --volumes its volume total.
#pragma once

#include <string>
#include <string_view>

#include "ngfreq/common.h"

namespace ngfreq {

enum class RowFormat : u32 { tsv, csv, jsonl };

struct RowLayout {
  RowFormat format = RowFormat::tsv;
  bool by_year = false;  // keys are --by-year keys (key-sink.h): print the year as a column
  bool volumes = false;  // add the volume total
};

/// The header line a listing starts with: CSV only ("ngram,year,total,volumes"
/// as the layout has them); empty for TSV and JSON Lines.
std::string header_line(const RowLayout& layout);

/// Appends one row for a table key (a --by-year key when layout.by_year).
void format_row(std::string& out, const RowLayout& layout, std::string_view key, u64 total, u64 volumes);

/// Appends one row for an n-gram and, with layout.by_year, its year.
void format_row(std::string& out, const RowLayout& layout, std::string_view ngram, i64 year, u64 total,
                u64 volumes);

/// A TSV row with volumes (RowLayout{tsv, by_year, true}), split back into
/// its fields from the right (the n-gram holds no TAB): for the writers that
/// take rows as formatted text (SQLite, the library).
struct TsvRow {
  std::string_view ngram;
  i64 year = 0;
  u64 total = 0, volumes = 0;
};
TsvRow parse_tsv_row(std::string_view line, bool by_year);

/// Calls f(TsvRow) for each line of `rows`, TSV rows as a RowSink is handed
/// them.
template <class F> void for_each_tsv_row(std::string_view rows, bool by_year, F&& f) {
  while (!rows.empty()) {
    size_t nl = rows.find('\n');
    f(parse_tsv_row(rows.substr(0, nl), by_year));
    rows = nl == std::string_view::npos ? std::string_view() : rows.substr(nl + 1);
  }
}

/// Appends `s` as a JSON string: quotes, backslashes and control bytes
/// escaped; bytes that are not UTF-8 as \udcXX (Python's surrogateescape:
/// `s.encode("utf-8", "surrogateescape")` gives the bytes back).
void append_json_string(std::string& out, std::string_view s);

/// Appends `s` as a CSV field: quoted when it holds a comma, a quote, CR or
/// LF, with quotes doubled (RFC 4180).
void append_csv_field(std::string& out, std::string_view s);

}  // namespace ngfreq
