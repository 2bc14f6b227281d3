#include "cli/measure.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "ngfreq/plot.h"

namespace ngfreq::cli {

void add_measure_options(CLI::App* cmd, MeasureCli& m, const std::string& jobs_default) {
  cmd->add_option("-e,--executor", m.executors, "Executors, comma-separated: serial, thread")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("-j,--jobs", m.jobs, "Job counts, comma-separated (default: " + jobs_default + ")")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--repeat", m.repeat, "Timed runs a point; the median is reported, min-max beside it")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--csv", m.csv, "Write every measured point to FILE as CSV");
  cmd->add_option("--plot", m.plot, "Draw the results to FILE.svg or FILE.png with gnuplot");
}

std::vector<ExecutorKind> parse_executors(const MeasureCli& m) {
  std::vector<ExecutorKind> kinds;
  for (const std::string& name : m.executors) kinds.push_back(parse_executor(name));
  return kinds;
}

bool plot_wanted(const MeasureCli& m) {
  if (m.plot.empty()) return false;
  check_plot_path(m.plot);
  if (gnuplot_available()) return true;
  fmt::print(stderr, "ngfreq: warning: gnuplot not found (apt-get install gnuplot-nox): no plot{}\n",
             m.csv.empty() ? "" : ", the CSV is still written");
  return false;
}

std::vector<PointResult> measure_with_progress(const std::string& command,
                                               const std::vector<CountOptions>& points,
                                               const std::vector<std::string>& labels, int repeat) {
  constexpr int WARM_UP = 1;  // rounds: one fills the page cache, a second changed nothing measured
  bool tty = isatty(STDERR_FILENO);
  i64 n = points.size(), total = n * (repeat + WARM_UP);
  std::vector<PointResult> results = measure_points(points, repeat, WARM_UP, [&](i64 run, i64 point) {
    i64 round = run / n - WARM_UP + 1;
    fmt::print(stderr, "{}{}: run {}/{} ({} left), {}: {}{}", tty ? "\r\033[K" : "", command, run + 1, total,
               total - run - 1, round < 1 ? "warm-up" : fmt::format("round {}/{}", round, repeat),
               labels[point], tty ? "" : "\n");
    std::fflush(stderr);
  });
  if (tty) fmt::print(stderr, "\r\033[K");
  return results;
}

std::string spread_text(const Spread& s) {
  return fmt::format("{:.3f} ({:.3f}-{:.3f})", s.median, s.min, s.max);
}

std::string series_name(ExecutorKind e, int jobs) {
  return fmt::format("{}, {} job{}", executor_name(e), jobs, jobs == 1 ? "" : "s");
}

}  // namespace ngfreq::cli
