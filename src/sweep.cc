// Measuring the count the way bench/run.sh does, in-process: untimed
// warm-up runs, then `repeat` timed runs whose median is reported with the
// min and max beside it. The runs are interleaved, a round at a time over
// every point (as scripts/bench-compare.sh interleaves old and new), so a
// neighbour's build that slows the machine for a minute slows one run of
// every point instead of all runs of one point, which would pass for a
// difference between partition sizes. The median, not the mean or the minimum, because
// the machines ngfreq is tuned on are shared: one run slowed down by a
// neighbour's build moves the mean and says nothing, and the minimum
// rewards the luckiest run rather than the typical one. Each run builds its
// own executor and thread pool through run_count, as the CLI's count does,
// so a point measures what a user would get from `ngfreq count`.
#include "ngfreq/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "ngfreq/output-file.h"

namespace ngfreq {

Spread summarize(std::vector<double> values) {
  if (values.empty()) throw Error("no measurements to summarize");
  std::sort(values.begin(), values.end());
  i64 n = values.size();
  double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {median, values.front(), values.back()};
}

double PointResult::other_seconds() const {
  return std::max(0.0, wall.median - map_time.median - reduce_time.median);
}

std::vector<PointResult> measure_points(const std::vector<CountOptions>& points, int repeat, int warm_up,
                                        const std::function<void(i64 run, i64 point)>& before_run) {
  i64 n = points.size();
  std::vector<std::vector<double>> walls(n), maps(n), reduces(n);
  std::vector<PointResult> results(n);
  i64 run = 0;
  for (int round = -warm_up; round < std::max(repeat, 1); round++) {
    for (i64 i = 0; i < n; i++) {
      if (before_run) before_run(run++, i);
      CountOptions opts = points[i];
      opts.progress = ProgressMode::none;
      auto start = std::chrono::steady_clock::now();
      CountResult result = run_count(opts);
      // Partitioned and ordered totals are summed as they are read: read
      // them, so that every reduce mode's point does the whole count.
      auto summing_start = std::chrono::steady_clock::now();
      if (!result.totals.stream()) result.totals.visit([](const FreqShard&) {});
      auto now = std::chrono::steady_clock::now();
      double wall = std::chrono::duration<double>(now - start).count();
      double summing = std::chrono::duration<double>(now - summing_start).count();
      if (round < 0) continue;  // a warm-up
      walls[i].push_back(wall);
      maps[i].push_back(result.stats.map_seconds);
      reduces[i].push_back(result.stats.reduce_seconds + summing);
      PointResult& r = results[i];
      r.executor = opts.executor;
      r.reduce = opts.reduce;
      r.jobs = result.stats.jobs;
      r.partition_size = result.stats.partition_size;
      r.partitions = result.stats.partitions;
      r.input_bytes = result.stats.input_bytes;
    }
  }
  for (i64 i = 0; i < n; i++) {
    results[i].repeats = walls[i].size();
    results[i].wall = summarize(walls[i]);
    results[i].map_time = summarize(maps[i]);
    results[i].reduce_time = summarize(reduces[i]);
  }
  return results;
}

std::vector<i64> geometric_sizes(i64 from, i64 to, i64 factor) {
  if (from <= 0 || to < from || factor < 2)
    throw UsageError(fmt::format("a sweep needs 0 < from <= to and a factor of at least 2"));
  std::vector<i64> sizes;
  for (i64 s = from; s <= to; s *= factor) {
    sizes.push_back(s);
    if (s > to / factor) break;
  }
  return sizes;
}

// Names and kinds, in the order --help lists them. An executor this build
// lacks is listed with available = false so that asking for it says so
// instead of "unknown executor".
struct ExecutorName {
  std::string_view name;
  ExecutorKind kind;
  bool available;
};
static constexpr ExecutorName EXECUTOR_NAMES[] = {
    {"serial", ExecutorKind::serial, true},
    {"thread", ExecutorKind::thread, true},
    {"process", ExecutorKind::process, true},
};

ExecutorKind parse_executor(std::string_view name) {
  for (const ExecutorName& e : EXECUTOR_NAMES) {
    if (e.name != name) continue;
    if (!e.available) throw UsageError(fmt::format("executor '{}' is not available in this build", name));
    return e.kind;
  }
  throw UsageError(fmt::format("unknown executor '{}' (serial, thread or process)", name));
}

std::string_view executor_name(ExecutorKind kind) {
  for (const ExecutorName& e : EXECUTOR_NAMES)
    if (e.available && e.kind == kind) return e.name;
  return "?";
}

static constexpr std::pair<ReduceMode, std::string_view> REDUCE_NAMES[] = {
    {ReduceMode::automatic, "auto"},
    {ReduceMode::partitioned, "partitioned"},
    {ReduceMode::ordered, "ordered"},
    {ReduceMode::tree, "tree"},
    {ReduceMode::serial, "serial"}};

std::string_view reduce_name(ReduceMode mode) {
  for (auto [m, name] : REDUCE_NAMES)
    if (m == mode) return name;
  return "?";
}

ReduceMode parse_reduce(std::string_view name) {
  for (auto [m, n] : REDUCE_NAMES)
    if (n == name) return m;
  throw UsageError(
      fmt::format("unknown reduce mode '{}' (auto, partitioned, ordered, tree or serial)", name));
}

std::string format_bytes(i64 bytes) {
  static constexpr std::string_view UNITS[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (u < 4 && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    u++;
  }
  return fmt::format("{} {}", bytes, UNITS[u]);
}

static std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void write_csv(const std::string& path, const CsvTable& table) {
  std::string text;
  auto add_row = [&](const std::vector<std::string>& row) {
    for (i64 i = 0; i < i64(row.size()); i++) {
      if (i) text += ',';
      text += csv_field(row[i]);
    }
    text += '\n';
  };
  add_row(table.header);
  for (const std::vector<std::string>& row : table.rows) add_row(row);
  OutputFile out(path);
  out.write(text);
  out.commit();
}

}  // namespace ngfreq
