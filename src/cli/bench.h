// `ngfreq bench`: strong or weak scaling of the count over job counts, with
// an Amdahl fit.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/measure.h"

namespace ngfreq::cli {

struct BenchCli {
  MeasureCli m;
  std::vector<std::string> inputs;
  std::vector<std::string> reduces = {"auto"};
  std::string generate;
  bool gzip = false;
  bool weak = false;
  std::string partition_size;
};

void add_bench_command(CLI::App& app, BenchCli& b);
void run_bench_command(BenchCli& b);

}  // namespace ngfreq::cli
