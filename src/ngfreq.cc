// The library's count: CountOptions from a CountRequest, then the same
// passes as the CLI's count, the rows gathered instead of printed.
#include "ngfreq/ngfreq.h"

#include <fmt/format.h>

#include <chrono>
#include <limits>

#include "ngfreq/count-answer.h"
#include "ngfreq/count.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/row-format.h"
#include "ngfreq/row-sink.h"
#include "ngfreq/series-count.h"

namespace ngfreq {

namespace {

// The sorted rows, formatted as -o writes them (TSV with volumes), read
// back: the one path that sorts every reduce mode's rows, also spilled.
class RowCollector : public RowSink {
 public:
  RowCollector(std::vector<NgramRow>& rows, bool by_year) : rows_(rows), by_year_(by_year) {}

  void write(std::string_view text) override {
    for_each_tsv_row(text, by_year_, [&](const TsvRow& r) {
      rows_.push_back({std::string(r.ngram), r.year, r.total, r.volumes});
    });
  }

 private:
  std::vector<NgramRow>& rows_;
  bool by_year_;
};

// The options every library call starts from: the CLI's defaults, no
// progress on the terminal.
CountOptions base_options(const std::vector<std::string>& paths, std::optional<i64> since,
                          std::optional<i64> until, bool ignore_case, const std::string& tags, int jobs,
                          const std::function<void(const ProgressSnapshot&)>& progress,
                          const std::atomic<bool>* cancel) {
  if (paths.empty()) throw UsageError("no input paths");
  CountOptions o;
  o.inputs = paths;
  if (since) o.years.since = *since;
  if (until) o.years.until = *until;
  o.keys.ignore_case = ignore_case;
  o.keys.tags = parse_tag_filter(tags);
  o.jobs = jobs;
  o.progress = ProgressMode::none;
  o.on_progress = progress;
  o.cancel = cancel;
  return o;
}

NgramRow to_ngram_row(const Row& r, bool by_year) {
  auto [ngram, year] = by_year ? split_year_key(r.key) : std::pair<std::string_view, i64>(r.key, 0);
  return {std::string(ngram), year, r.count, r.volumes};
}

CountReport::Stats report_stats(const CountResult& result, const CountAnswer& answer) {
  const CountStats& st = result.stats;
  CountReport::Stats out;
  out.lines = st.lines;
  out.input_bytes = st.input_bytes;
  out.file_bytes = st.file_bytes;
  out.distinct = answer.distinct;
  out.matches =
      answer.total > std::numeric_limits<u64>::max() ? std::numeric_limits<u64>::max() : u64(answer.total);
  out.skipped_lines = result.skipped.count;
  out.first_skipped = result.skipped.first;
  out.jobs = st.jobs;
  out.partitions = st.partitions;
  out.spilled_bytes = result.totals.stats().disk.bytes_written + answer.sort_spill.bytes_written;
  out.map_seconds = st.map_seconds;
  out.reduce_seconds = st.reduce_seconds;
  return out;
}

}  // namespace

CountReport count_ngrams(const CountRequest& request) {
  auto start = std::chrono::steady_clock::now();
  CountOptions o = base_options(request.paths, request.since, request.until, request.ignore_case,
                                request.tags, request.jobs, request.progress, request.cancel);
  if (request.top < 0) throw UsageError("top must not be negative");
  if (request.ngram < 1 || request.ngram > MAX_TEXT_NGRAM)
    throw UsageError(fmt::format("ngram must be 1 to {}", MAX_TEXT_NGRAM));
  if (request.memory_limit < 0) throw UsageError("memory_limit must not be negative");
  o.keys.by_year = request.by_year;
  o.ngram = request.ngram;
  o.on_error = request.skip_bad_lines ? OnError::skip : OnError::fail;
  o.memory_limit = request.memory_limit;
  // Every row unless only some are asked for: the sorted listing is the
  // costly part of a count of many n-grams.
  bool every_row = request.words.empty() && request.top == 0;
  o.will_sort = every_row;
  CountResult result = run_count(o);
  auto output_start = std::chrono::steady_clock::now();

  CountReport report;
  AnswerRequest wanted{request.words, request.by_year, request.top, request.min_count, true};
  RowLayout layout{RowFormat::tsv, request.by_year, true};
  RowCollector collector(report.rows, request.by_year);
  std::optional<SortedOutput> sorted;
  if (every_row) sorted.emplace(SortedOutput{collector, layout});
  CountAnswer answer = ngfreq::answer(result.totals, wanted, result.stats.jobs, sorted ? &*sorted : nullptr);
  for (const std::vector<Row>& rows : answer.words)
    for (const Row& r : rows) report.rows.push_back(to_ngram_row(r, request.by_year));
  for (const Row& r : answer.top) report.top.push_back(to_ngram_row(r, request.by_year));

  report.stats = report_stats(result, answer);
  auto now = std::chrono::steady_clock::now();
  report.stats.output_seconds = std::chrono::duration<double>(now - output_start).count();
  report.stats.seconds = std::chrono::duration<double>(now - start).count();
  return report;
}

SeriesReport series_ngrams(const SeriesRequest& request) {
  CountOptions o = base_options(request.paths, request.since, request.until, request.ignore_case,
                                request.tags, request.jobs, request.progress, request.cancel);
  if (request.queries.empty()) throw UsageError("no query");
  SeriesSettings settings;
  settings.value = series_value_named(request.value, !request.totals.empty());
  if (settings.value == SeriesValue::relative && request.totals.empty())
    throw UsageError("a relative value needs the total-counts file (totals)");
  if (request.since && request.until && *request.since > *request.until)
    throw UsageError("since is after until");
  if (request.smoothing < 0) throw UsageError("smoothing must not be negative");
  if (request.expand < 1) throw UsageError("expand must be at least 1");
  settings.scale = series_scale_named(request.per);
  settings.smoothing = request.smoothing;
  settings.since = request.since;
  settings.until = request.until;
  settings.totals_path = request.totals;
  std::map<i64, u64> totals;
  if (!request.totals.empty()) totals = read_total_counts(request.totals);
  SeriesCount counted = count_series(o, parse_queries(request.queries, request.ignore_case),
                                     totals.empty() ? nullptr : &totals, settings, request.expand);
  return {std::move(counted.table.labels), std::move(counted.table.years), std::move(counted.table.values),
          std::move(counted.unmatched)};
}

}  // namespace ngfreq
