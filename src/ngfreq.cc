// The library's count: CountOptions from a CountRequest, then the same
// passes as the CLI's count, the rows gathered instead of printed.
#include "ngfreq/ngfreq.h"

#include <chrono>

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
    while (!text.empty()) {
      size_t nl = text.find('\n');
      TsvRow r = parse_tsv_row(text.substr(0, nl), by_year_);
      rows_.push_back({std::string(r.ngram), r.year, r.total, r.volumes});
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
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

}  // namespace

CountReport count_ngrams(const CountRequest& request) {
  auto start = std::chrono::steady_clock::now();
  CountOptions o = base_options(request.paths, request.since, request.until, request.ignore_case,
                                request.tags, request.jobs, request.progress, request.cancel);
  o.keys.by_year = request.by_year;
  bool every_row = request.words.empty();
  o.will_sort = every_row;
  CountResult result = run_count(o);

  CountReport report;
  AnswerRequest wanted{request.words, request.by_year, 0, request.min_count, false};
  RowLayout layout{RowFormat::tsv, request.by_year, true};
  RowCollector collector(report.rows, request.by_year);
  std::optional<SortedOutput> sorted;
  if (every_row) sorted.emplace(SortedOutput{collector, layout});
  CountAnswer answer = ngfreq::answer(result.totals, wanted, result.stats.jobs, sorted ? &*sorted : nullptr);
  for (const std::vector<Row>& rows : answer.words) {
    for (const Row& r : rows) {
      auto [ngram, year] =
          request.by_year ? split_year_key(r.key) : std::pair<std::string_view, i64>(r.key, 0);
      report.rows.push_back({std::string(ngram), year, r.count, r.volumes});
    }
  }
  report.lines = result.stats.lines;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
