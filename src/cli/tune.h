// `ngfreq tune`: times the count over a sweep of partition sizes and compares
// the default's choice with the best.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/measure.h"

namespace ngfreq::cli {

struct TuneCli {
  MeasureCli m;
  std::vector<std::string> inputs;
  std::vector<std::string> sizes;
};

void add_tune_command(CLI::App& app, TuneCli& t);
void run_tune_command(TuneCli& t);

}  // namespace ngfreq::cli
