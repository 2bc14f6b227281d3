#include "cli/series.h"

#include <fmt/format.h>

#include <chrono>

#include "ngfreq/output-file.h"
#include "ngfreq/plot.h"
#include "ngfreq/series-count.h"
#include "ngfreq/series.h"
#include "ngfreq/stats.h"

namespace ngfreq::cli {

void add_series_command(CLI::App& app, SeriesCli& s) {
  CLI::App* cmd = app.add_subcommand(
      "series", "Year-by-year curves of n-grams, as the Google Books Ngram Viewer draws them");
  add_input_options(cmd, s);
  cmd->add_option("-w,--word", s.queries,
                  "A query (repeatable): an n-gram; n-grams summed into one curve: walk|walks|walked; or a "
                  "wildcard: Aard*, * switch")
      ->allow_extra_args(false);
  cmd->add_option("--expand", s.expand,
                  "A wildcard query (Aard*, or * as a whole token: * switch) becomes a curve for each of "
                  "the K n-grams it matches most often")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--words-file", s.words_file, "Queries, one a line");
  cmd->add_option("--totals", s.totals,
                  "Google's total-counts file for the inputs' corpus and n (year,match,pages,volumes "
                  "entries): makes --value relative possible, and its default");
  cmd->add_option("--value", s.value,
                  "count (matches), volumes, or relative (matches / all matches of the year in --totals; "
                  "default with --totals, else count)")
      ->check(CLI::IsMember({"count", "volumes", "relative"}));
  cmd->add_option("--per", s.per, "relative values as a percent, per million, or a fraction")
      ->check(CLI::IsMember({"percent", "million", "fraction"}))
      ->capture_default_str();
  cmd->add_option("--smoothing", s.smoothing,
                  "Average each year with N years each side, fewer at the ends of the range (the "
                  "Viewer's smoothing; it hides rare years)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_option("-o,--output", s.output, "Write the table to FILE instead of stdout");
  cmd->add_option("--output-format", s.output_format,
                  "tsv or csv (a row a year, a column a query) or jsonl (an object a query and year)")
      ->check(CLI::IsMember({"tsv", "csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--plot", s.plot, "Draw the curves to FILE.svg or FILE.png with gnuplot");
}

void run_series_command(CLI::App& cmd, SeriesCli& s) {
  auto start = std::chrono::steady_clock::now();
  resolve_input_options(cmd, s);
  CountOptions& o = s.opts;
  if (o.format == Format::text) throw UsageError("text has no years: series reads v1, v2 and v3");

  std::vector<std::string> texts = s.queries;
  if (!s.words_file.empty())
    for (std::string& line : read_query_lines(s.words_file)) texts.push_back(std::move(line));
  if (texts.empty()) throw UsageError("no query: give -w PHRASE or --words-file FILE");
  std::vector<SeriesQuery> queries = parse_queries(texts, o.keys.ignore_case);

  SeriesSettings settings;
  settings.value = series_value_named(s.value, !s.totals.empty());
  if (settings.value == SeriesValue::relative && s.totals.empty())
    throw UsageError("--value relative needs --totals FILE (Google's total counts of the corpus)");
  if (cmd.count("--per") && settings.value != SeriesValue::relative)
    throw UsageError("--per applies to --value relative");
  settings.scale = series_scale_named(s.per);
  settings.smoothing = s.smoothing;
  if (cmd.count("--since")) settings.since = s.since;
  if (cmd.count("--until")) settings.until = s.until;
  if (settings.since && settings.until && *settings.since > *settings.until)
    throw UsageError(fmt::format("--since {} is after --until {}", s.since, s.until));
  settings.totals_path = s.totals;
  if (!s.plot.empty()) check_plot_path(s.plot);
  std::map<i64, u64> totals;
  if (!s.totals.empty()) totals = read_total_counts(s.totals);

  // Open the output first, so a bad path fails before the count.
  std::unique_ptr<OutputFile> out;
  if (!s.output.empty()) out = std::make_unique<OutputFile>(s.output);

  warn_if_too_many_jobs(o.jobs);
  SeriesCount counted = count_series(o, queries, totals.empty() ? nullptr : &totals, settings, s.expand);
  for (const std::string& q : counted.unmatched)
    fmt::print(stderr, "ngfreq: warning: the wildcard query '{}' matched no n-gram\n", q);
  const SeriesTable& table = counted.table;
  auto output_start = std::chrono::steady_clock::now();
  std::string text = format_series(table, row_format_named(s.output_format));
  if (out) {
    out->write(text);
    out->commit();
  } else {
    fmt::print("{}", text);
    std::fflush(stdout);
  }

  if (!s.plot.empty() && table.years.empty()) {
    fmt::print(stderr, "ngfreq: warning: no query matched in any year: no plot drawn\n");
  } else if (!s.plot.empty()) {
    const char* unit = settings.value == SeriesValue::volumes ? "volumes"
                       : settings.value == SeriesValue::count ? "matches"
                       : s.per == "million"                   ? "per million"
                       : s.per == "fraction"                  ? "share of the year's matches"
                                                              : "percent";
    PlotPanel panel{"", "year", unit, false, {}, {}};
    for (size_t q = 0; q < table.labels.size(); q++) {
      PlotLine line{table.labels[q], {}, false};
      for (size_t y = 0; y < table.years.size(); y++)
        line.points.emplace_back(double(table.years[y]), table.values[q][y]);
      panel.lines.push_back(std::move(line));
    }
    draw_plot({s.plot, {panel}});
  }

  report_skipped_lines(counted.skipped);
  if (s.stats) {
    auto now = std::chrono::steady_clock::now();
    print_stats(counted.stats, counted.distinct,
                counted.table_seconds + std::chrono::duration<double>(now - output_start).count(),
                std::chrono::duration<double>(now - start).count());
  }
}

}  // namespace ngfreq::cli
