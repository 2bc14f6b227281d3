#include "cli/generate.h"

#include <fmt/format.h>

#include <chrono>

#include "cli/input-options.h"

namespace ngfreq::cli {

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

}  // namespace ngfreq::cli
