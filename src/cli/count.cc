#include "cli/count.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "ngfreq/count-answer.h"
#include "ngfreq/distributed-count.h"
#include "ngfreq/output-file.h"
#include "ngfreq/sqlite-output.h"
#include "ngfreq/stats.h"
#include "ngfreq/sweep.h"

namespace ngfreq::cli {

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
      ->check(CLI::Range(1, MAX_TEXT_NGRAM))
      ->capture_default_str();
  cmd->add_flag("--by-year", c.opts.keys.by_year, "Totals per n-gram and year: rows ngram, year, total");
  // One n-gram an -w, so that `-w Aardvark a.tsv` does not read the input
  // as a second word.
  cmd->add_option("-w,--word", c.words, "Print the total of this n-gram (repeatable)")
      ->allow_extra_args(false);
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

  // Under mpirun, rank 0 writes everything; the others only count.
  bool writes = !o.cluster || o.cluster->rank() == 0;
  // Open the output before counting, so a bad path fails in a second, not
  // after an hour of work.
  std::unique_ptr<OutputFile> out;
  std::unique_ptr<SqliteOutput> database;
  // Rank 0 alone opens it: every rank must learn that it failed, or they
  // would wait for rank 0 in the count.
  run_agreed(o.cluster, [&] {
    if (!c.output.empty() && writes) out = std::make_unique<OutputFile>(c.output);
    if (out && sqlite) database = std::make_unique<SqliteOutput>(*out, o.keys.by_year);
  });

  o.will_sort = !c.output.empty();
  // Across ranks, only a sorted listing needs every total on rank 0; the
  // rest is answered by each key's owner and joined.
  o.gather = o.will_sort;
  // Only some words' totals asked for: each rank answers from its own
  // totals, and their rows add up; no total needs to move.
  bool words_only = !c.words.empty() && c.top == 0 && c.output.empty();
  o.shuffle = !words_only;
  bool join_answers = o.cluster && o.cluster->size() > 1 && !o.gather;
  if (writes) warn_if_too_many_jobs(o.jobs);

  // One pass over the totals writes -o and gathers every other row asked
  // for; a sorted file's rows are written as it is mapped.
  bool default_output = c.words.empty() && c.top == 0 && c.output.empty();
  bool distinct_known = !join_answers || o.shuffle;
  AnswerRequest request{c.words, o.keys.by_year, default_output ? 10 : c.top, c.min_count,
                        default_output || (c.stats && distinct_known)};
  std::optional<SortedOutput> sorted;
  if (database) {
    sorted.emplace(SortedOutput{*database, SqliteOutput::row_layout(o.keys.by_year)});
  } else if (out) {
    out->write(header_line(layout));
    sorted.emplace(SortedOutput{*out, layout});
  }
  std::optional<StreamTarget> stream;
  if (sorted) stream.emplace(StreamTarget{request, *sorted});
  CountResult result = run_count(o, stream ? &*stream : nullptr);
  if (!writes && !join_answers) return;
  auto output_start = std::chrono::steady_clock::now();
  CountAnswer answer = ngfreq::answer(result.totals, request, result.stats.jobs, sorted ? &*sorted : nullptr);
  if (join_answers) answer = detail::combine_answers(std::move(answer), request, *o.cluster);
  if (!writes) return;
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
    // Partitions summed as the output read them are merge work done late.
    result.stats.merge_busy_seconds += spill.summing_seconds;
    result.stats.merges += spill.partitions_summed;
    print_stats(result.stats, distinct_known ? answer.distinct : -1,
                std::chrono::duration<double>(now - output_start).count(),
                std::chrono::duration<double>(now - start).count());
    print_spill_stats(spill, answer.sort_spill, o.memory_limit > 0 ? o.memory_limit : default_memory_limit());
  }
}

}  // namespace ngfreq::cli
