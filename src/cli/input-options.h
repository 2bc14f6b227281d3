// What every subcommand that counts (count, series) takes and does alike:
// the inputs and how they are read, the executor, the memory limit, --stats.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "ngfreq/byte-size.h"
#include "ngfreq/count.h"
#include "ngfreq/row-format.h"

namespace ngfreq::cli {

/// The shared options as typed; resolve_input_options() turns them into
/// `opts`.
struct InputCli {
  CountOptions opts;
  bool stats = false;
  std::string executor = "thread";
  std::string progress = "auto";
  std::string inflater = "auto";
  std::string on_error = "fail";
  std::string format = "auto";
  std::string tags = "keep";
  std::string partition_size;
  std::string memory_limit;
  i64 since = 0, until = 0;
};

void add_input_options(CLI::App* cmd, InputCli& c);

/// Sets c.opts from what was typed; throws UsageError.
void resolve_input_options(const CLI::App& cmd, InputCli& c);

/// The RowFormat an --output-format value (tsv, csv, jsonl) names.
RowFormat row_format_named(const std::string& name);

/// Says on stderr when -j asks for more workers than will be started.
void warn_if_too_many_jobs(int jobs);

/// --on-error skip: how many lines were left out, and where the first were.
void report_skipped_lines(const SkippedLines& s);

}  // namespace ngfreq::cli
