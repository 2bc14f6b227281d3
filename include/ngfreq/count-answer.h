// What a count's output shows, gathered from its totals in one pass: the
// rows of the words asked for (-w), the top K (--top), the summary (distinct
// keys and their total), and every row sorted (-o). One pass, because
// partitioned totals can be read only once (totals.h).
#pragma once

#include <string>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/row-format.h"
#include "ngfreq/row-sink.h"
#include "ngfreq/spill-file.h"
#include "ngfreq/totals.h"

namespace ngfreq {

/// Sums of 64-bit totals need 128 bits; __extension__ keeps -Wpedantic quiet.
__extension__ using u128 = unsigned __int128;
std::string u128_string(u128 v);

/// One output row: a key (a --by-year key with by_year) and its totals.
struct Row {
  std::string key;
  u64 count = 0;
  u64 volumes = 0;
};

/// The order of the top K: the larger total first, ties in key byte order.
template <class R> bool rank_less(const R& a, const R& b) {
  if (a.count != b.count) return a.count > b.count;
  return a.key < b.key;
}

/// Sorts one word's --by-year rows by year.
void sort_by_year(std::vector<Row>& rows);

struct AnswerRequest {
  std::vector<std::string> words;
  /// Keys are --by-year keys: a word's rows are its years, in year order.
  bool by_year = false;
  i64 top = 0;
  /// Rows below this total are left out of the top K and the sorted rows.
  u64 min_count = 0;
  /// Count the distinct keys and sum their totals.
  bool summary = false;
};

/// Where every row goes, sorted by key bytes (-o).
struct SortedOutput {
  RowSink& file;  // a file or an SQLite database
  RowLayout layout;
};

struct CountAnswer {
  /// For each word asked for: its row, with a 0 total when absent; with
  /// by_year its rows a year, none when absent.
  std::vector<std::vector<Row>> words;
  /// The top K rows, largest total first, ties in key byte order.
  std::vector<Row> top;
  /// With request.summary: the distinct keys and the sum of their totals.
  i64 distinct = 0;
  u128 total = 0;
  /// What the sorted output spilled (the external sort of partitioned totals).
  SpillStats sort_spill;
};

/// Reads `totals` once (consuming partitioned ones) for everything
/// `request` asks, on `jobs` threads; with `sorted`, writes every row of at
/// least request.min_count to it, sorted by key bytes (not committed).
/// Totals of an ordered stream (run_count with a StreamTarget) have written
/// their rows already: `request` and `sorted` must be the target's.
CountAnswer answer(Totals& totals, const AnswerRequest& request, int jobs,
                   const SortedOutput* sorted = nullptr);

}  // namespace ngfreq
