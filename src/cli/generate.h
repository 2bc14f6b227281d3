// `ngfreq generate`: the command line of generate.h.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "ngfreq/generate.h"

namespace ngfreq::cli {

struct GenerateCli {
  GenerateOptions opts;
  std::string size;
  std::string format = "v2";
};

void add_generate_command(CLI::App& app, GenerateCli& g);
void run_generate_command(GenerateCli& g);

}  // namespace ngfreq::cli
