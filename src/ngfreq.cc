// The library's count: CountOptions from a CountRequest, then the same
// passes as the CLI's count, the rows gathered instead of printed.
#include "ngfreq/ngfreq.h"

#include <chrono>

#include "ngfreq/count-answer.h"
#include "ngfreq/count.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/row-format.h"
#include "ngfreq/row-sink.h"

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

TagFilter tag_filter(const std::string& name) {
  if (name == "keep") return TagFilter::keep;
  if (name == "drop") return TagFilter::drop;
  if (name == "only") return TagFilter::only;
  throw UsageError("tags must be keep, drop or only, not '" + name + "'");
}

}  // namespace

CountReport count_ngrams(const CountRequest& request) {
  auto start = std::chrono::steady_clock::now();
  if (request.paths.empty()) throw UsageError("no input paths");
  CountOptions o;
  o.inputs = request.paths;
  if (request.since) o.years.since = *request.since;
  if (request.until) o.years.until = *request.until;
  o.keys.by_year = request.by_year;
  o.keys.ignore_case = request.ignore_case;
  o.keys.tags = tag_filter(request.tags);
  o.jobs = request.jobs;
  o.progress = ProgressMode::none;
  o.on_progress = request.progress;
  o.cancel = request.cancel;
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
      std::string text;
      format_row(text, layout, r.key, r.count, r.volumes);
      collector.write(text);
    }
  }
  report.lines = result.stats.lines;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace ngfreq
