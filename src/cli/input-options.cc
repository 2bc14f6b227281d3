#include "cli/input-options.h"

#include <fmt/format.h>

#include "ngfreq/spill-file.h"

namespace ngfreq::cli {

void add_input_options(CLI::App* cmd, InputCli& c) {
  cmd->add_option("inputs", c.opts.inputs, "Files (plain or gzip), directories, or - for stdin")->required();
  cmd->add_option("-f,--format", c.format,
                  "auto (each file's from its first line), v1 (2009), v2 (2012), v3 (2020) or text")
      ->check(CLI::IsMember({"auto", "v1", "v2", "v3", "text"}))
      ->capture_default_str();
  cmd->add_flag("--ignore-case", c.opts.keys.ignore_case,
                "Merge case variants (Unicode case folding; tag suffixes kept)");
  cmd->add_option("--tags", c.tags,
                  "POS tags: keep every entry, drop entries with a tagged token (Aardvark_NOUN) or a "
                  "placeholder (_NOUN_, _START_), or only those")
      ->check(CLI::IsMember({"keep", "drop", "only"}))
      ->capture_default_str();
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
                  "clamped to 1M..32M, 1M..16M for gzip and pipes)");
  cmd->add_option("--progress", c.progress, "auto (bar on a terminal), bar, plain or none")
      ->check(CLI::IsMember({"auto", "bar", "plain", "none"}))
      ->capture_default_str();
  cmd->add_option("--on-error", c.on_error,
                  "fail: a malformed line stops the run (exit 1); skip: leave malformed lines out, "
                  "report how many and the first five")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd->add_option(
      "--memory-limit", c.memory_limit,
      fmt::format("Bytes the count's tables may take, with K/M/G suffixes (default: {}% of memory); "
                  "past it, hash partitions spill to --temp-dir",
                  DEFAULT_MEMORY_PERCENT));
  cmd->add_option("--temp-dir", c.opts.temp_dir, "Directory for spill files (default: $TMPDIR, else /tmp)");
  cmd->add_flag("--stats", c.stats, "Print phase times, sizes and peak memory to stderr");
  cmd->add_option("--inflater", c.inflater, "gzip implementation: auto, isal or zlib")
      ->check(CLI::IsMember({"auto", "isal", "zlib"}))
      ->group("");  // hidden: for benchmarks and tests
}

void resolve_input_options(const CLI::App& cmd, InputCli& c) {
  CountOptions& o = c.opts;
  o.executor = c.executor == "serial"    ? ExecutorKind::serial
               : c.executor == "process" ? ExecutorKind::process
                                         : ExecutorKind::thread;
  o.progress = c.progress == "bar"     ? ProgressMode::bar
               : c.progress == "plain" ? ProgressMode::plain
               : c.progress == "none"  ? ProgressMode::none
                                       : ProgressMode::automatic;
  o.inflater = c.inflater == "isal"   ? Inflater::isal
               : c.inflater == "zlib" ? Inflater::zlib
                                      : Inflater::automatic;
  o.on_error = c.on_error == "skip" ? OnError::skip : OnError::fail;
  o.format = c.format == "v1"     ? Format::v1
             : c.format == "v2"   ? Format::v2
             : c.format == "v3"   ? Format::v3
             : c.format == "text" ? Format::text
                                  : Format::automatic;
  o.keys.tags = parse_tag_filter(c.tags);
  if (!c.partition_size.empty()) o.partition_size = parse_size(c.partition_size, "--partition-size");
  if (!c.memory_limit.empty()) o.memory_limit = parse_size(c.memory_limit, "--memory-limit");
  if (!o.temp_dir.empty()) check_temp_dir(o.temp_dir);
  if (cmd.count("--since")) o.years.since = c.since;
  if (cmd.count("--until")) o.years.until = c.until;
}

RowFormat row_format_named(const std::string& name) {
  return name == "csv" ? RowFormat::csv : name == "jsonl" ? RowFormat::jsonl : RowFormat::tsv;
}

void warn_if_too_many_jobs(int jobs) {
  if (jobs > usable_jobs(jobs))
    fmt::print(stderr,
               "ngfreq: warning: -j {} is more than {} jobs a core on this {}-core machine: using {}\n", jobs,
               MAX_JOBS_PER_CORE, default_jobs(), usable_jobs(jobs));
}

void report_skipped_lines(const SkippedLines& s) {
  if (s.count == 0) return;
  fmt::print(stderr, "ngfreq: warning: skipped {} malformed line{} (--on-error skip){}\n", s.count,
             s.count == 1 ? "" : "s",
             s.count > i64(s.first.size()) ? fmt::format(", the first {}:", s.first.size()) : ":");
  for (const std::string& where : s.first) fmt::print(stderr, "  {}\n", where);
}

}  // namespace ngfreq::cli
