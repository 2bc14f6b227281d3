// `ngfreq count`: its options, and the run that counts, writes -o and prints
// the rows asked for.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/input-options.h"

namespace ngfreq::cli {

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

void add_count_command(CLI::App& app, CountCli& c);
void run_count_command(CLI::App& cmd, CountCli& c);

}  // namespace ngfreq::cli
