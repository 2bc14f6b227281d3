#include "cli/tune.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "cli/input-options.h"
#include "ngfreq/plot.h"
#include "ngfreq/stats.h"

namespace ngfreq::cli {

void add_tune_command(CLI::App& app, TuneCli& t) {
  CLI::App* cmd = app.add_subcommand(
      "tune", "Time the count over a sweep of partition sizes and compare the default's choice to the best");
  cmd->add_option("inputs", t.inputs, "Files (plain or gzip) or directories")->required();
  cmd->add_option("--sizes", t.sizes, "Partition sizes, comma-separated (default: 64K,256K,...,256M, x4)")
      ->delimiter(',');
  add_measure_options(cmd, t.m, "all cores");
}

void run_tune_command(TuneCli& t) {
  std::vector<ExecutorKind> executors = parse_executors(t.m);
  std::vector<int> jobs_list = t.m.jobs.empty() ? std::vector<int>{default_jobs()} : t.m.jobs;
  std::vector<i64> sizes;
  for (const std::string& s : t.sizes) sizes.push_back(parse_size(s, "--sizes"));
  // 64 KiB to 256 MiB in x4 steps: from where per-partition overhead
  // dominates to where a 2 GB file no longer has a partition a core.
  if (sizes.empty()) sizes = geometric_sizes(64 << 10, 256 << 20, 4);
  bool plot = plot_wanted(t.m);

  CountOptions base;
  base.inputs = t.inputs;
  CsvTable csv{{"executor", "jobs", "point", "partition_size", "partitions", "repeats", "wall_median_s",
                "wall_min_s", "wall_max_s", "mb_per_s", "map_median_s", "reduce_median_s"},
               {}};
  Plot picture{
      t.m.plot,
      {{"Throughput against partition size", "partition size (MiB, log scale)", "MB/s", true, {}, {}}}};
  std::string report;
  auto add_csv_row = [&](const PointResult& r, const char* point) {
    csv.rows.push_back({std::string(executor_name(r.executor)), fmt::format("{}", r.jobs), point,
                        fmt::format("{}", r.partition_size), fmt::format("{}", r.partitions),
                        fmt::format("{}", r.repeats), fmt::format("{:.6f}", r.wall.median),
                        fmt::format("{:.6f}", r.wall.min), fmt::format("{:.6f}", r.wall.max),
                        fmt::format("{:.3f}", r.mb_per_s()), fmt::format("{:.6f}", r.map_time.median),
                        fmt::format("{:.6f}", r.reduce_time.median)});
  };

  // Every point of every series in one list, so that the rounds interleave
  // across all of them; each series is its default's point, then the sizes.
  std::vector<CountOptions> all;
  std::vector<std::string> labels;
  for (ExecutorKind executor : executors) {
    for (int jobs : jobs_list) {
      CountOptions opts = base;
      opts.executor = executor;
      opts.jobs = jobs;
      all.push_back(opts);
      labels.push_back(series_name(executor, jobs) + ", default size");
      for (i64 size : sizes) {
        opts.partition_size = size;
        all.push_back(opts);
        labels.push_back(fmt::format("{}, {}", series_name(executor, jobs), format_bytes(size)));
      }
    }
  }
  std::vector<PointResult> results = measure_with_progress("tune", all, labels, t.m.repeat);

  i64 per_series = sizes.size() + 1;
  for (i64 first = 0; first < i64(results.size()); first += per_series) {
    const PointResult& def = results[first];
    std::vector<PointResult> points(results.begin() + first + 1, results.begin() + first + per_series);
    ExecutorKind executor = def.executor;
    int jobs = def.jobs;
    i64 best = 0;
    for (i64 i = 1; i < i64(points.size()); i++)
      if (points[i].wall.median < points[best].wall.median) best = i;

    report += fmt::format("\n{} (median of {} run{} after a warm-up; min-max in brackets)\n",
                          series_name(executor, jobs), t.m.repeat, t.m.repeat == 1 ? "" : "s");
    report += fmt::format("  {:>10} {:>10} {:>26} {:>9} {:>8} {:>8}\n", "partition", "partitions", "wall s",
                          "MB/s", "map s", "reduce s");
    PlotLine line{series_name(executor, jobs), {}, false};
    for (i64 i = 0; i < i64(points.size()); i++) {
      const PointResult& r = points[i];
      report += fmt::format("{} {:>10} {:>10} {:>26} {:>9.1f} {:>8.3f} {:>8.3f}\n", i == best ? "*" : " ",
                            format_bytes(r.partition_size), r.partitions, spread_text(r.wall), r.mb_per_s(),
                            r.map_time.median, r.reduce_time.median);
      add_csv_row(r, "sweep");
      line.points.emplace_back(r.partition_size / double(1 << 20), r.mb_per_s());
    }
    add_csv_row(def, "default");
    picture.panels[0].lines.push_back(line);
    double off = 100 * (def.wall.median / points[best].wall.median - 1);
    report +=
        fmt::format("  default: {} in {} partitions, {} s: {:.1f}% {} than the best ({})\n",
                    format_bytes(def.partition_size), def.partitions, spread_text(def.wall), std::abs(off),
                    off >= 0 ? "slower" : "faster", format_bytes(points[best].partition_size));
  }
  fmt::print("{}", report);
  std::fflush(stdout);
  if (!t.m.csv.empty()) write_csv(t.m.csv, csv);
  if (plot) draw_plot(picture);
}

}  // namespace ngfreq::cli
