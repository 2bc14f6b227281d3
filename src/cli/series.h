// `ngfreq series`: the command line of series.h.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/input-options.h"

namespace ngfreq::cli {

struct SeriesCli : InputCli {
  std::vector<std::string> queries;
  std::string words_file;
  std::string totals;
  std::string value;
  std::string per = "percent";
  int smoothing = 0;
  int expand = 10;
  std::string output;
  std::string output_format = "tsv";
  std::string plot;
};

void add_series_command(CLI::App& app, SeriesCli& s);
void run_series_command(CLI::App& cmd, SeriesCli& s);

}  // namespace ngfreq::cli
