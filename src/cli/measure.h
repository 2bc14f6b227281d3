// What `tune` and `bench` share: their options, a progress line while they
// measure, and how they print a timing.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "ngfreq/count.h"
#include "ngfreq/sweep.h"

namespace ngfreq::cli {

// Options `tune` and `bench` share: what to run and how often, and where to
// write the numbers.
struct MeasureCli {
  std::vector<std::string> executors = {"thread"};
  std::vector<int> jobs;
  int repeat = 3;
  std::string csv;
  std::string plot;
};

void add_measure_options(CLI::App* cmd, MeasureCli& m, const std::string& jobs_default);
std::vector<ExecutorKind> parse_executors(const MeasureCli& m);

/// Checks --plot before hours of measuring: a bad name is a usage error; a
/// missing gnuplot is only a warning, since the table and CSV still come.
bool plot_wanted(const MeasureCli& m);

/// Runs every point of `labels` through measure_points with a progress
/// line on stderr, "tune: run 17/96 (79 left), round 1/3: thread, 2 jobs,
/// 4 MiB": rewritten in place on a terminal, one line a run otherwise.
std::vector<PointResult> measure_with_progress(const std::string& command,
                                               const std::vector<CountOptions>& points,
                                               const std::vector<std::string>& labels, int repeat);

/// "0.412 (0.400-0.431)": the median, then min-max.
std::string spread_text(const Spread& s);
/// "thread, 2 jobs".
std::string series_name(ExecutorKind e, int jobs);

}  // namespace ngfreq::cli
