// The ngfreq command line: parses options with CLI11, runs a subcommand,
// and is the one place that catches exceptions and turns them into
// "ngfreq: error: ..." and an exit status (1 data or I/O, 2 usage).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <map>
#include <optional>

#include "cli/input-options.h"
#include "cli/series.h"
#include "ngfreq/amdahl.h"
#include "ngfreq/count-answer.h"
#include "ngfreq/count.h"
#include "ngfreq/generate.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/output-file.h"
#include "ngfreq/output.h"
#include "ngfreq/plot.h"
#include "ngfreq/process-pool.h"
#include "ngfreq/sqlite-output.h"
#include "ngfreq/stats.h"
#include "ngfreq/sweep.h"

using namespace ngfreq;
using namespace ngfreq::cli;

namespace {

// What limited memory, for the out-of-memory message: ulimit -v when set.
std::string address_space_note() {
  rlimit lim{};
  if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return "";
  return fmt::format(" (the address space limit, ulimit -v, is {} MB)", lim.rlim_cur >> 20);
}

void on_signal(int sig) {
  // Stop the process executor's workers, leave no half-written output
  // behind, then die with the conventional status (128 + signal number).
  detail::kill_worker_processes();
  remove_temporary_outputs();
  _exit(128 + sig);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A file size limit (ulimit -f) must fail a write with EFBIG, reported
  // as an I/O error like a full disk, not kill the process silently.
  signal(SIGXFSZ, SIG_IGN);
}

struct CountCli : InputCli {
  std::vector<std::string> words;
  i64 top = 0;
  std::string output;
  bool volumes = false;
  std::string reduce = "auto";
  std::string tokenizer = "whitespace";
  std::string output_format = "tsv";
  u64 min_count = 0;
};

void add_count_command(CLI::App& app, CountCli& c) {
  CLI::App* cmd =
      app.add_subcommand("count", "Count n-gram totals in Google Books files (v1, v2, v3) or plain text");
  add_input_options(cmd, c);
  cmd->add_option("--tokenizer", c.tokenizer,
                  "Text: whitespace (split as Python's bytes.split()) or word (runs of Unicode letters, "
                  "digits and apostrophes)")
      ->check(CLI::IsMember({"whitespace", "word"}))
      ->capture_default_str();
  cmd->add_option("--ngram", c.opts.ngram, "Text: count runs of N consecutive words within a line")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_flag("--by-year", c.opts.keys.by_year, "Totals per n-gram and year: rows ngram, year, total");
  cmd->add_option("-w,--word", c.words, "Print the total of this n-gram (repeatable)");
  cmd->add_option("-t,--top", c.top, "Print the K n-grams with the largest totals")
      ->check(CLI::Range(i64(1), i64(1) << 40));
  cmd->add_option("-o,--output", c.output, "Write every n-gram and its total, sorted by bytes, to FILE");
  cmd->add_option("--min-count", c.min_count, "Leave totals below N out of --top, -o and the default top 10");
  cmd->add_option("--output-format", c.output_format,
                  "Rows as tsv, csv (RFC 4180, with a header), jsonl (JSON Lines) or sqlite (-o only: a "
                  "table ngrams; the default for -o names ending in .sqlite, .sqlite3 or .db)")
      ->check(CLI::IsMember({"tsv", "csv", "jsonl", "sqlite"}))
      ->capture_default_str();
  cmd->add_flag("--volumes", c.volumes, "Add the volume_count total as a column");
  cmd->add_option("--reduce", c.reduce,
                  "partitioned (cache-sized tables flushed into hash partitions, summed a partition at a "
                  "time), ordered (keys kept in input order and merged: -o of sorted files), tree (merge "
                  "tables as they finish), serial (one fold at the end), or auto (ordered for -o of v1-v3 "
                  "files that fit the memory limit, else partitioned)")
      ->check(CLI::IsMember({"auto", "partitioned", "ordered", "tree", "serial"}))
      ->capture_default_str();
  cmd->add_option("--fan-in", c.opts.fan_in,
                  "Tables a tree merge takes at once (default: 2, or 8 with -e process)")
      ->check(CLI::Range(2, 1024));
}

void run_count_command(CLI::App& cmd, CountCli& c) {
  auto start = std::chrono::steady_clock::now();
  CountOptions& o = c.opts;
  o.reduce = parse_reduce(c.reduce);
  if (!c.memory_limit.empty() && (o.reduce == ReduceMode::tree || o.reduce == ReduceMode::serial))
    throw UsageError(
        fmt::format("--memory-limit applies to --reduce partitioned (auto); --reduce {} keeps "
                    "whole tables in memory",
                    c.reduce));
  resolve_input_options(cmd, c);
  o.tokenizer = c.tokenizer == "word" ? Tokenizer::word : Tokenizer::whitespace;
  bool explicit_tsv = o.format != Format::automatic && o.format != Format::text;
  if (explicit_tsv && (cmd.count("--ngram") || cmd.count("--tokenizer")))
    throw UsageError(fmt::format("--ngram and --tokenizer apply to text, not to -f {}", c.format));
  if (o.format == Format::text && (cmd.count("--since") || cmd.count("--until") || o.keys.by_year))
    throw UsageError("text has no years: --since, --until and --by-year apply to v1, v2 and v3");
  if (o.format == Format::text && c.volumes)
    throw UsageError("text has no volume counts: --volumes applies to v1, v2 and v3");
  // -o FILE.sqlite, .sqlite3 or .db (or --output-format sqlite): a database.
  bool sqlite = c.output_format == "sqlite" || (!cmd.count("--output-format") && is_sqlite_path(c.output));
  if (sqlite && c.output.empty()) throw UsageError("--output-format sqlite needs -o FILE");
  RowLayout layout{row_format_named(c.output_format), o.keys.by_year, c.volumes};

  // Open the output before counting, so a bad path fails in a second, not
  // after an hour of work.
  std::unique_ptr<OutputFile> out;
  if (!c.output.empty()) out = std::make_unique<OutputFile>(c.output);
  std::unique_ptr<SqliteOutput> database;
  if (out && sqlite) database = std::make_unique<SqliteOutput>(*out, o.keys.by_year);

  o.will_sort = out != nullptr;
  warn_if_too_many_jobs(o.jobs);
  CountResult result = run_count(o);
  auto output_start = std::chrono::steady_clock::now();

  // One pass over the totals writes -o and gathers every other row asked for.
  bool default_output = c.words.empty() && c.top == 0 && c.output.empty();
  AnswerRequest request{c.words, o.keys.by_year, default_output ? 10 : c.top, c.min_count,
                        default_output || c.stats};
  std::optional<SortedOutput> sorted;
  if (database) {
    sorted.emplace(SortedOutput{*database, SqliteOutput::row_layout(o.keys.by_year)});
  } else if (out) {
    out->write(header_line(layout));
    sorted.emplace(SortedOutput{*out, layout});
  }
  CountAnswer answer = ngfreq::answer(result.totals, request, result.stats.jobs, sorted ? &*sorted : nullptr);
  if (database)
    database->commit();
  else if (out)
    out->commit();

  std::string text;  // the rows for stdout
  for (const std::vector<Row>& rows : answer.words)
    for (const Row& r : rows) format_row(text, layout, r.key, r.count, r.volumes);
  for (const Row& r : answer.top) format_row(text, layout, r.key, r.count, r.volumes);
  std::string summary_on_stderr;
  if (default_output) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The summary is for people: on stderr when stdout is CSV or JSON, so
    // that a parser reads rows only.
    std::string summary =
        fmt::format("{} distinct {}, {} matches in {} lines ({:.1f} MB) in {:.2f} s\n", answer.distinct,
                    o.keys.by_year ? "(n-gram, year) pairs" : "n-grams", u128_string(answer.total),
                    result.stats.lines, result.stats.input_bytes / 1e6, secs);
    (layout.format == RowFormat::tsv ? text : summary_on_stderr) += summary;
  }
  if (!text.empty()) fmt::print("{}{}", layout.format == RowFormat::tsv ? "" : header_line(layout), text);
  std::fflush(stdout);
  if (!summary_on_stderr.empty()) fmt::print(stderr, "{}", summary_on_stderr);

  report_skipped_lines(result.skipped);
  if (c.stats) {
    auto now = std::chrono::steady_clock::now();
    FinalizeStats spill = result.totals.stats();
    print_stats(result.stats, answer.distinct, std::chrono::duration<double>(now - output_start).count(),
                std::chrono::duration<double>(now - start).count());
    print_spill_stats(spill, answer.sort_spill, o.memory_limit > 0 ? o.memory_limit : default_memory_limit());
  }
}

struct GenerateCli {
  GenerateOptions opts;
  std::string size;
  std::string format = "v2";
};

void add_generate_command(CLI::App& app, GenerateCli& g) {
  CLI::App* cmd = app.add_subcommand("generate", "Write a realistic, deterministic corpus (v2, v3 or text)");
  cmd->add_option("-o,--output", g.opts.output_path, "Output file (- for stdout)")->required();
  cmd->add_option("--profile", g.opts.profile,
                  "a: mimic googlebooks-eng-all-1gram-20120701-a (1.8 GB, 86.6 M lines)")
      ->check(CLI::IsMember({"a"}));
  cmd->add_option("--size", g.size,
                  "Approximate size, with K/M/G suffixes (default: the profile's, or 100M)");
  cmd->add_option("--seed", g.opts.seed, "Seed: the same seed gives the same bytes")->capture_default_str();
  cmd->add_flag("--gzip", g.opts.gzip, "Write gzip");
  cmd->add_option("--words", g.opts.word_list, "Word list, one a line (default /usr/share/dict/words)");
  cmd->add_option("-f,--format", g.format,
                  "v2 (default); v3: the same corpus as v2 of this --seed and --size, a line an n-gram; "
                  "text: English-like sentences")
      ->check(CLI::IsMember({"v2", "v3", "text"}));
  cmd->add_option("--n", g.opts.n, "Tokens an n-gram, 1 to 5 (v2, v3)")->check(CLI::Range(1, 5));
}

void run_generate_command(GenerateCli& g) {
  if (!g.size.empty()) g.opts.target_bytes = parse_size(g.size, "--size");
  g.opts.format = g.format == "v3"     ? GenerateFormat::v3
                  : g.format == "text" ? GenerateFormat::text
                                       : GenerateFormat::v2;
  auto start = std::chrono::steady_clock::now();
  GenerateSummary s = generate_corpus(g.opts);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g.opts.output_path != "-")
    fmt::print(stderr, "wrote {}: {}, {} lines, {} bytes{} in {:.1f} s\n", g.opts.output_path,
               g.opts.format == GenerateFormat::text ? fmt::format("{} words", s.words)
                                                     : fmt::format("{} n-grams", s.ngrams),
               s.lines, s.bytes, g.opts.gzip ? " before gzip" : "", secs);
}

// Options `tune` and `bench` share: what to run and how often, and where to
// write the numbers.
struct MeasureCli {
  std::vector<std::string> executors = {"thread"};
  std::vector<int> jobs;
  int repeat = 3;
  std::string csv;
  std::string plot;
};

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

// Checks --plot before hours of measuring: a bad name is a usage error; a
// missing gnuplot is only a warning, since the table and CSV still come.
bool plot_wanted(const MeasureCli& m) {
  if (m.plot.empty()) return false;
  check_plot_path(m.plot);
  if (gnuplot_available()) return true;
  fmt::print(stderr, "ngfreq: warning: gnuplot not found (apt-get install gnuplot-nox): no plot{}\n",
             m.csv.empty() ? "" : ", the CSV is still written");
  return false;
}

// Runs every point of `labels` through measure_points with a progress
// line on stderr, "tune: run 17/96 (79 left), round 1/3: thread, 2 jobs,
// 4 MiB": rewritten in place on a terminal, one line a run otherwise.
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

struct TuneCli {
  MeasureCli m;
  std::vector<std::string> inputs;
  std::vector<std::string> sizes;
};

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

struct BenchCli {
  MeasureCli m;
  std::vector<std::string> inputs;
  std::vector<std::string> reduces = {"auto"};
  std::string generate;
  bool gzip = false;
  bool weak = false;
  std::string partition_size;
};

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

}  // namespace

int main(int argc, char** argv) {
  install_signal_handlers();
  CLI::App app{"ngfreq: n-gram frequencies of the Google Books Ngram corpus, in parallel"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ngfreq 0.1.0");
  CountCli count_cli;
  GenerateCli generate_cli;
  add_count_command(app, count_cli);
  SeriesCli series_cli;
  add_series_command(app, series_cli);
  add_generate_command(app, generate_cli);
  TuneCli tune_cli;
  BenchCli bench_cli;
  add_tune_command(app, tune_cli);
  add_bench_command(app, bench_cli);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    fmt::print(stderr, "Run 'ngfreq --help' or 'ngfreq SUBCOMMAND --help' for usage.\n");
    return 2;
  }

  try {
    if (app.got_subcommand("count"))
      run_count_command(*app.get_subcommand("count"), count_cli);
    else if (app.got_subcommand("series"))
      run_series_command(*app.get_subcommand("series"), series_cli);
    else if (app.got_subcommand("generate"))
      run_generate_command(generate_cli);
    else if (app.got_subcommand("tune"))
      run_tune_command(tune_cli);
    else if (app.got_subcommand("bench"))
      run_bench_command(bench_cli);
  } catch (const UsageError& e) {
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "ngfreq: error: out of memory{}\n", address_space_note());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
