// The ngfreq command line: parses options with CLI11, runs a subcommand,
// and is the one place that catches exceptions and turns them into
// "ngfreq: error: ..." and an exit status (1 data or I/O, 2 usage).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>

#include "ngfreq/count.h"
#include "ngfreq/generate.h"
#include "ngfreq/output.h"
#include "ngfreq/process-pool.h"
#include "ngfreq/stats.h"

using namespace ngfreq;

namespace {

// "64M", "1g", "4096", "2KiB" -> bytes.
i64 parse_size(const std::string& text, const std::string& option) {
  size_t pos = 0;
  u64 value = 0;
  try {
    value = std::stoull(text, &pos);
  } catch (...) {
    throw UsageError(fmt::format("{}: '{}' is not a size (e.g. 4096, 64K, 32M, 1G)", option, text));
  }
  std::string suffix = text.substr(pos);
  for (char& c : suffix) c = char(std::toupper(u8(c)));
  static const std::map<std::string, u64> units = {{"", 1},
                                                   {"B", 1},
                                                   {"K", 1ull << 10},
                                                   {"KB", 1ull << 10},
                                                   {"KIB", 1ull << 10},
                                                   {"M", 1ull << 20},
                                                   {"MB", 1ull << 20},
                                                   {"MIB", 1ull << 20},
                                                   {"G", 1ull << 30},
                                                   {"GB", 1ull << 30},
                                                   {"GIB", 1ull << 30},
                                                   {"T", 1ull << 40},
                                                   {"TB", 1ull << 40},
                                                   {"TIB", 1ull << 40}};
  auto unit = units.find(suffix);
  if (unit == units.end() || value == 0 || value > (u64(1) << 62) / unit->second)
    throw UsageError(fmt::format("{}: '{}' is not a size (e.g. 4096, 64K, 32M, 1G)", option, text));
  return i64(value * unit->second);
}

// Sums of 64-bit totals need 128 bits; __extension__ keeps -Wpedantic quiet.
__extension__ using u128 = unsigned __int128;

std::string u128_string(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), char('0' + int(v % 10)));
    v /= 10;
  }
  return s;
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
}

struct CountCli {
  CountOptions opts;
  std::vector<std::string> words;
  i64 top = 0;
  std::string output;
  bool volumes = false;
  bool stats = false;
  std::string executor = "thread";
  std::string reduce = "tree";
  std::string progress = "auto";
  std::string inflater = "auto";
  std::string partition_size;
  i64 since = 0, until = 0;
};

void add_count_command(CLI::App& app, CountCli& c) {
  CLI::App* cmd = app.add_subcommand("count", "Count n-gram totals in Google Books files (v2 format)");
  cmd->add_option("inputs", c.opts.inputs, "Files (plain or gzip), directories, or - for stdin")->required();
  cmd->add_option("-w,--word", c.words, "Print the total of this n-gram (repeatable)");
  cmd->add_option("-t,--top", c.top, "Print the K n-grams with the largest totals")
      ->check(CLI::Range(i64(1), i64(1) << 40));
  cmd->add_option("-o,--output", c.output, "Write every n-gram and its total, sorted by bytes, to FILE");
  cmd->add_flag("--volumes", c.volumes, "Add the volume_count total as a third column");
  cmd->add_option("--since", c.since, "Count only years >= YEAR");
  cmd->add_option("--until", c.until, "Count only years <= YEAR");
  cmd->add_option("-e,--executor", c.executor, "serial, thread or process")
      ->check(CLI::IsMember({"serial", "thread", "process"}))
      ->capture_default_str();
  cmd->add_option("--retries", c.opts.retries, "Process executor: retries of a task whose worker died")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd->add_option("-j,--jobs", c.opts.jobs, "Workers (default: all cores)")->check(CLI::Range(1, 4096));
  cmd->add_option("-p,--partition-size", c.partition_size,
                  "Bytes a partition, with K/M/G suffixes (default: input size / (8 x jobs), "
                  "clamped to 1M..32M)");
  cmd->add_option("--reduce", c.reduce, "tree (parallel, as tables finish) or serial (one fold at the end)")
      ->check(CLI::IsMember({"tree", "serial"}))
      ->capture_default_str();
  cmd->add_option("--fan-in", c.opts.fan_in, "Tables a tree merge takes at once")
      ->check(CLI::Range(2, 1024))
      ->capture_default_str();
  cmd->add_option("--progress", c.progress, "auto (bar on a terminal), bar, plain or none")
      ->check(CLI::IsMember({"auto", "bar", "plain", "none"}))
      ->capture_default_str();
  cmd->add_flag("--stats", c.stats, "Print phase times, sizes and peak memory to stderr");
  cmd->add_option("--inflater", c.inflater, "gzip implementation: auto, isal or zlib")
      ->check(CLI::IsMember({"auto", "isal", "zlib"}))
      ->group("");  // hidden: for benchmarks and tests
}

void run_count_command(CLI::App& cmd, CountCli& c) {
  auto start = std::chrono::steady_clock::now();
  CountOptions& o = c.opts;
  o.executor = c.executor == "serial"    ? ExecutorKind::serial
               : c.executor == "process" ? ExecutorKind::process
                                         : ExecutorKind::thread;
  o.reduce = c.reduce == "serial" ? ReduceMode::serial : ReduceMode::tree;
  o.progress = c.progress == "bar"     ? ProgressMode::bar
               : c.progress == "plain" ? ProgressMode::plain
               : c.progress == "none"  ? ProgressMode::none
                                       : ProgressMode::automatic;
  o.inflater = c.inflater == "isal"   ? Inflater::isal
               : c.inflater == "zlib" ? Inflater::zlib
                                      : Inflater::automatic;
  if (!c.partition_size.empty()) o.partition_size = parse_size(c.partition_size, "--partition-size");
  if (cmd.count("--since")) o.years.since = c.since;
  if (cmd.count("--until")) o.years.until = c.until;

  // Open the output before counting, so a bad path fails in a second, not
  // after an hour of work.
  std::unique_ptr<OutputFile> out;
  if (!c.output.empty()) out = std::make_unique<OutputFile>(c.output);

  CountResult result = run_count(o);
  auto output_start = std::chrono::steady_clock::now();
  const FreqTable& table = result.table;

  std::string text;
  for (const std::string& w : c.words) {
    const Entry* e = table.find(w);
    format_row(text, w, e ? e->count : 0, e ? e->volumes : 0, c.volumes);
  }
  bool default_output = c.words.empty() && c.top == 0 && c.output.empty();
  i64 top = default_output ? 10 : c.top;
  for (const Entry* e : top_entries(table, top))
    format_row(text, e->key_view(), e->count, e->volumes, c.volumes);
  if (default_output) {
    u128 total = 0;
    for (int s = 0; !table.empty() && s < FreqTable::NUM_SHARDS; s++)
      for (const Entry& e : table.shard(s).entries()) total += e.count;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    text += fmt::format("{} distinct n-grams, {} matches in {} lines ({:.1f} MB) in {:.2f} s\n", table.size(),
                        u128_string(total), result.stats.lines, result.stats.input_bytes / 1e6, secs);
  }
  fmt::print("{}", text);
  std::fflush(stdout);

  if (out) {
    std::vector<const Entry*> all = sorted_entries(table);
    write_rows(*out, all, c.volumes);
    out->commit();
  }
  if (c.stats) {
    auto now = std::chrono::steady_clock::now();
    print_stats(result.stats, table.size(), std::chrono::duration<double>(now - output_start).count(),
                std::chrono::duration<double>(now - start).count());
  }
}

struct GenerateCli {
  GenerateOptions opts;
  std::string size;
};

void add_generate_command(CLI::App& app, GenerateCli& g) {
  CLI::App* cmd = app.add_subcommand("generate", "Write a realistic, deterministic v2 1-gram corpus");
  cmd->add_option("-o,--output", g.opts.output_path, "Output file (- for stdout)")->required();
  cmd->add_option("--profile", g.opts.profile,
                  "a: mimic googlebooks-eng-all-1gram-20120701-a (1.8 GB, 86.6 M lines)")
      ->check(CLI::IsMember({"a"}));
  cmd->add_option("--size", g.size,
                  "Approximate size, with K/M/G suffixes (default: the profile's, or 100M)");
  cmd->add_option("--seed", g.opts.seed, "Seed: the same seed gives the same bytes")->capture_default_str();
  cmd->add_flag("--gzip", g.opts.gzip, "Write gzip");
  cmd->add_option("--words", g.opts.word_list, "Word list, one a line (default /usr/share/dict/words)");
}

void run_generate_command(GenerateCli& g) {
  if (!g.size.empty()) g.opts.target_bytes = parse_size(g.size, "--size");
  auto start = std::chrono::steady_clock::now();
  GenerateSummary s = generate_corpus(g.opts);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g.opts.output_path != "-")
    fmt::print(stderr, "wrote {}: {} n-grams, {} lines, {} bytes{} in {:.1f} s\n", g.opts.output_path,
               s.ngrams, s.lines, s.bytes, g.opts.gzip ? " before gzip" : "", secs);
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
  add_generate_command(app, generate_cli);

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
    else if (app.got_subcommand("generate"))
      run_generate_command(generate_cli);
  } catch (const UsageError& e) {
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "ngfreq: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
