// The ngfreq library: what `ngfreq count` does, for programs. The header a
// program includes (the internal headers it pulls in are not part of the
// interface), the library target ngfreq_core, the ngfreq binary and the
// Python module its clients.
//
//   ngfreq::CountRequest r;
//   r.paths = {"googlebooks-eng-all-1gram-20120701-a.gz"};
//   r.since = 1500;
//   r.words = {"Aardvark"};
//   for (const ngfreq::NgramRow& row : ngfreq::count_ngrams(r).rows) ...
//
// Errors are exceptions: ngfreq::InputError (bad data: path(), line(),
// reason()), ngfreq::UsageError (a request that makes no sense),
// ngfreq::Cancelled, ngfreq::Error (I/O and everything else).
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/progress.h"

namespace ngfreq {

struct CountRequest {
  /// Files (plain or gzip; v1, v2, v3 or text, detected), directories.
  std::vector<std::string> paths;
  /// Years counted, inclusive; unset: all.
  std::optional<i64> since, until;
  /// A row per (n-gram, year) instead of per n-gram.
  bool by_year = false;
  /// Merge case variants by Unicode case folding.
  bool ignore_case = false;
  /// "keep", "drop" or "only" the POS-tagged entries.
  std::string tags = "keep";
  /// Worker threads; 0: every core this process may use.
  int jobs = 0;
  /// Only these n-grams' rows (a 0 total for one that is absent; with
  /// by_year, its years); empty: every n-gram.
  std::vector<std::string> words;
  /// Leave out totals below this (not applied to `words`).
  u64 min_count = 0;
  /// The `top` rows with the largest totals, in CountReport::top.
  i64 top = 0;
  /// Text input: words an n-gram (1 to 100).
  int ngram = 1;
  /// Leave malformed lines out (counted in the stats) instead of throwing
  /// InputError for the first one.
  bool skip_bad_lines = false;
  /// Bytes the count's tables may take before hash partitions spill to
  /// disk; 0: the CLI's default (a share of the machine's memory).
  i64 memory_limit = 0;
  /// Called a few times a second from a thread of the count's while it reads.
  std::function<void(const ProgressSnapshot&)> progress;
  /// Once set (from any thread), the count stops with Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct NgramRow {
  std::string ngram;  // bytes as in the input; not always UTF-8
  i64 year = 0;       // by_year only
  u64 total = 0;      // match_count summed
  u64 volumes = 0;    // volume_count summed (0 for text)
};

struct CountReport {
  /// Every row, sorted by the bytes of the n-gram, then year; with `words`,
  /// theirs, in their order; none when only `top` is asked for.
  std::vector<NgramRow> rows;
  /// With `top`: the largest totals, largest first, ties in byte order.
  std::vector<NgramRow> top;

  /// Where the count's time went, and what it read and left out.
  struct Stats {
    i64 lines = 0;                           // input lines read
    i64 input_bytes = 0;                     // bytes parsed (inflated bytes for gzip)
    i64 file_bytes = 0;                      // bytes read from the files
    i64 distinct = 0;                        // n-grams counted (by_year: n-gram and year pairs)
    u64 matches = 0;                         // their totals summed (saturating at 2^64 - 1)
    i64 skipped_lines = 0;                   // with skip_bad_lines
    std::vector<std::string> first_skipped;  // "path:line: reason", the first few in input order
    int jobs = 0;                            // worker threads
    i64 partitions = 0;                      // pieces of input mapped
    i64 spilled_bytes = 0;                   // written to disk under the memory limit
    double map_seconds = 0;                  // wall: start until the last piece was mapped
    double reduce_seconds = 0;               // wall: until the totals were complete
    double output_seconds = 0;               // wall: gathering the rows
    double seconds = 0;                      // wall: the whole call
  } stats;
};

/// Counts as `ngfreq count` does (thread executor, every default of the
/// CLI's) and returns the rows.
CountReport count_ngrams(const CountRequest& request);

/// What `ngfreq series` does (series.h): the Ngram Viewer's curves.
struct SeriesRequest {
  std::vector<std::string> paths;
  /// `Aardvark`, `kill switch`, a group `walk|walks|walked`, a wildcard `Aard*`.
  std::vector<std::string> queries;
  /// Google's total-counts file; with it the default value is relative.
  std::string totals;
  /// "count", "volumes" or "relative"; empty: relative with `totals`, else count.
  std::string value;
  /// A relative value as "percent", per "million" or as a "fraction".
  std::string per = "percent";
  /// Years each side of a year its value is averaged over.
  int smoothing = 0;
  std::optional<i64> since, until;
  bool ignore_case = false;
  std::string tags = "keep";
  int jobs = 0;
  /// N-grams a wildcard query becomes, most frequent first.
  int expand = 10;
  std::function<void(const ProgressSnapshot&)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct SeriesReport {
  std::vector<std::string> labels;          // a curve a query (wildcards expanded)
  std::vector<i64> years;                   // every year of the range
  std::vector<std::vector<double>> values;  // values[curve][year]
  std::vector<std::string> unmatched;       // wildcard queries that matched nothing
};

SeriesReport series_ngrams(const SeriesRequest& request);

}  // namespace ngfreq
