#include "cli/bench.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "cli/input-options.h"
#include "ngfreq/amdahl.h"
#include "ngfreq/generate.h"
#include "ngfreq/plot.h"
#include "ngfreq/stats.h"

namespace ngfreq::cli {

void add_bench_command(CLI::App& app, BenchCli& b) {
  CLI::App* cmd = app.add_subcommand("bench", "Strong (or --weak) scaling of the count over job counts");
  cmd->add_option("inputs", b.inputs, "Files (plain or gzip) or directories; or use --generate");
  cmd->add_option("--generate", b.generate,
                  "Generate a deterministic corpus of SIZE first (with --weak: SIZE a job)");
  cmd->add_flag("--gzip", b.gzip, "With --generate: write the corpus as gzip");
  cmd->add_flag("--weak", b.weak, "Weak scaling: the generated input grows with the job count");
  cmd->add_option("--reduce", b.reduces,
                  "Reduce modes, comma-separated: auto, partitioned, ordered, tree, serial")
      ->delimiter(',')
      ->check(CLI::IsMember({"auto", "partitioned", "ordered", "tree", "serial"}))
      ->capture_default_str();
  cmd->add_option("-p,--partition-size", b.partition_size, "Bytes a partition (default: the heuristic's)");
  add_measure_options(cmd, b.m, "1 up to all cores");
}

namespace {

// Generated corpora live in a private temporary directory, removed at exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ngfreq-bench-XXXXXX";
    if (!mkdtemp(tmpl)) throw Error(fmt::format("cannot create a temporary directory: {}", errno_string()));
    path_ = tmpl;
  }
  ~TempDir() {
    for (const std::string& f : files_) unlink(f.c_str());
    rmdir(path_.c_str());
  }
  std::string file(const std::string& name) { return files_.emplace_back(path_ + "/" + name); }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

// One series of a scaling run: the points in job order and what they show.
struct ScalingSeries {
  ExecutorKind executor;
  ReduceMode reduce;
  std::vector<PointResult> points;
};

}  // namespace

void run_bench_command(BenchCli& b) {
  std::vector<ExecutorKind> executors = parse_executors(b.m);
  std::vector<int> jobs_list = b.m.jobs;
  if (jobs_list.empty())
    for (int j = 1; j <= default_jobs(); j++) jobs_list.push_back(j);
  std::sort(jobs_list.begin(), jobs_list.end());
  jobs_list.erase(std::unique(jobs_list.begin(), jobs_list.end()), jobs_list.end());
  if (b.generate.empty() == b.inputs.empty())
    throw UsageError("bench: give either input files or --generate SIZE");
  if (b.weak && b.generate.empty()) throw UsageError("bench: --weak needs --generate SIZE (the size a job)");
  bool plot = plot_wanted(b.m);
  CountOptions base;
  if (!b.partition_size.empty()) base.partition_size = parse_size(b.partition_size, "--partition-size");

  // Inputs a job count: the same for strong scaling, SIZE x jobs for weak.
  TempDir dir;
  std::map<int, std::vector<std::string>> inputs;
  for (int jobs : jobs_list) {
    if (b.generate.empty()) {
      inputs[jobs] = b.inputs;
    } else if (b.weak || inputs.empty()) {
      GenerateOptions g;
      g.target_bytes = parse_size(b.generate, "--generate") * (b.weak ? jobs : 1);
      g.gzip = b.gzip;
      g.output_path = dir.file(fmt::format("corpus-{}{}", g.target_bytes, b.gzip ? ".gz" : ""));
      fmt::print(stderr, "bench: generating {} ({} bytes)\n", g.output_path, g.target_bytes);
      generate_corpus(g);
      inputs[jobs] = {g.output_path};
    } else {
      inputs[jobs] = inputs.begin()->second;
    }
  }

  std::vector<CountOptions> points;
  std::vector<std::string> labels;
  for (ExecutorKind executor : executors) {
    for (const std::string& reduce : b.reduces) {
      for (int jobs : jobs_list) {
        CountOptions opts = base;
        opts.inputs = inputs[jobs];
        opts.executor = executor;
        opts.reduce = parse_reduce(reduce);
        opts.jobs = jobs;
        points.push_back(opts);
        labels.push_back(fmt::format("{}, {} reduce", series_name(executor, jobs), reduce));
      }
    }
  }
  std::vector<PointResult> results = measure_with_progress("bench", points, labels, b.m.repeat);
  std::vector<ScalingSeries> all;
  for (i64 first = 0; first < i64(results.size()); first += jobs_list.size())
    all.push_back(
        {results[first].executor, results[first].reduce,
         std::vector<PointResult>(results.begin() + first, results.begin() + first + jobs_list.size())});

  const char* mode = b.weak ? "weak" : "strong";
  CsvTable csv{{"mode", "executor", "reduce", "jobs", "input_bytes", "partition_size", "partitions",
                "repeats", "wall_median_s", "wall_min_s", "wall_max_s", "speedup", "efficiency",
                "map_median_s", "reduce_median_s", "other_median_s", "serial_fraction"},
               {}};
  PlotPanel speedup_panel{b.weak ? "Scaled speedup (weak scaling)" : "Speedup (strong scaling)",
                          "jobs",
                          "speedup",
                          false,
                          {},
                          {}};
  PlotPanel split_panel{"Where the time goes (median)",
                        "",
                        "seconds",
                        false,
                        {{"map", {}, false}, {"reduce", {}, false}, {"other", {}, false}},
                        {}};
  std::string report;
  for (const ScalingSeries& s : all) {
    // Speedup and efficiency against the smallest job count measured. For
    // weak scaling, efficiency is T(base)/T(p) and the speedup is the scaled
    // (Gustafson) one: efficiency x p / base.
    const PointResult& first = s.points.front();
    double base_jobs = first.jobs;
    std::vector<SpeedupPoint> speedups;
    for (const PointResult& r : s.points) {
      double ratio = first.wall.median / r.wall.median;
      double speedup = b.weak ? ratio * r.jobs / base_jobs : ratio;
      speedups.push_back({double(r.jobs), speedup});
    }
    std::string fit_text = "";
    double serial = std::nan("");
    if (b.weak) {
      fit_text =
          "  no Amdahl fit: Amdahl's law describes a fixed amount of work, and weak scaling grows it\n";
    } else if (base_jobs != 1 || s.points.size() < 2) {
      fit_text = "  no Amdahl fit: it needs a point at 1 job and one at more\n";
    } else {
      serial = fit_serial_fraction(speedups);
      fit_text =
          fmt::format("  Amdahl fit (least squares over jobs {}): serial fraction {:.3f}{}\n",
                      fmt::join(jobs_list, ","), serial,
                      serial < 0 || serial > 1 ? " (outside 0..1: the points do not follow Amdahl's law; "
                                                 "a busy machine?)"
                                               : "");
      fit_text += "  projected speedup (a projection from the measured points, not a measurement):";
      for (int p : {8, 16, 32, 64})
        fit_text += fmt::format(" {} cores {:.2f}x;", p, amdahl_speedup(serial, p));
      fit_text.back() = '\n';
    }

    std::string name = fmt::format("{}, {} reduce", executor_name(s.executor), reduce_name(s.reduce));
    report += fmt::format("\n{} scaling, {}, {:.1f} MB{} (median of {} run{} after a warm-up)\n", mode, name,
                          first.input_bytes / 1e6,
                          b.weak ? fmt::format(" at {} jobs, growing with jobs", first.jobs) : "", b.m.repeat,
                          b.m.repeat == 1 ? "" : "s");
    report += fmt::format("  {:>4} {:>26} {:>8} {:>10} {:>8} {:>8} {:>8}\n", "jobs", "wall s", "speedup",
                          "efficiency", "map s", "reduce s", "other s");
    PlotLine line{name, {}, false};
    for (i64 i = 0; i < i64(s.points.size()); i++) {
      const PointResult& r = s.points[i];
      double speedup = speedups[i].speedup;
      double efficiency = speedup * base_jobs / r.jobs;
      report += fmt::format("  {:>4} {:>26} {:>7.2f}x {:>9.0f}% {:>8.3f} {:>8.3f} {:>8.3f}\n", r.jobs,
                            spread_text(r.wall), speedup, 100 * efficiency, r.map_time.median,
                            r.reduce_time.median, r.other_seconds());
      csv.rows.push_back(
          {mode, std::string(executor_name(s.executor)), std::string(reduce_name(s.reduce)),
           fmt::format("{}", r.jobs), fmt::format("{}", r.input_bytes), fmt::format("{}", r.partition_size),
           fmt::format("{}", r.partitions), fmt::format("{}", r.repeats),
           fmt::format("{:.6f}", r.wall.median), fmt::format("{:.6f}", r.wall.min),
           fmt::format("{:.6f}", r.wall.max), fmt::format("{:.4f}", speedup),
           fmt::format("{:.4f}", efficiency), fmt::format("{:.6f}", r.map_time.median),
           fmt::format("{:.6f}", r.reduce_time.median), fmt::format("{:.6f}", r.other_seconds()),
           std::isnan(serial) ? std::string() : fmt::format("{:.6f}", serial)});
      line.points.emplace_back(r.jobs, speedup);
      split_panel.bar_labels.push_back(fmt::format(
          "{}{}j{}", executor_name(s.executor), s.reduce == ReduceMode::serial ? "/serial " : " ", r.jobs));
      split_panel.lines[0].points.emplace_back(r.jobs, r.map_time.median);
      split_panel.lines[1].points.emplace_back(r.jobs, r.reduce_time.median);
      split_panel.lines[2].points.emplace_back(r.jobs, r.other_seconds());
    }
    report += fit_text;
    speedup_panel.lines.push_back(line);
  }
  PlotLine ideal{"ideal", {}, true};
  for (int jobs : jobs_list) ideal.points.emplace_back(jobs, jobs / double(jobs_list.front()));
  speedup_panel.lines.push_back(ideal);

  fmt::print("{}", report);
  std::fflush(stdout);
  if (!b.m.csv.empty()) write_csv(b.m.csv, csv);
  if (plot) draw_plot({b.m.plot, {speedup_panel, split_panel}});
}

}  // namespace ngfreq::cli
