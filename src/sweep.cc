// Measuring the count the way bench/run.sh does, in-process: untimed
// warm-up runs, then `repeat` timed runs whose median is reported with the
// min and max beside it. The median, not the mean or the minimum, because
// the machines ngfreq is tuned on are shared: one run slowed down by a
// neighbour's build moves the mean and says nothing, and the minimum
// rewards the luckiest run rather than the typical one. Each run builds its
// own executor and thread pool through run_count, as the CLI's count does,
// so a point measures what a user would get from `ngfreq count`.
#include "ngfreq/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

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

PointResult measure_point(CountOptions opts, int repeat, int warm_up) {
  opts.progress = ProgressMode::none;
  for (int i = 0; i < warm_up; i++) run_count(opts);
  std::vector<double> walls, maps, reduces;
  PointResult r;
  for (int i = 0; i < std::max(repeat, 1); i++) {
    auto start = std::chrono::steady_clock::now();
    CountResult result = run_count(opts);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    walls.push_back(wall);
    maps.push_back(result.stats.map_seconds);
    reduces.push_back(result.stats.reduce_seconds);
    r.jobs = result.stats.jobs;
    r.partition_size = result.stats.partition_size;
    r.partitions = result.stats.partitions;
    r.input_bytes = result.stats.input_bytes;
  }
  r.executor = opts.executor;
  r.reduce = opts.reduce;
  r.repeats = walls.size();
  r.wall = summarize(walls);
  r.map_time = summarize(maps);
  r.reduce_time = summarize(reduces);
  return r;
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
    {"process", ExecutorKind::thread, false},
};

ExecutorKind parse_executor(std::string_view name) {
  for (const ExecutorName& e : EXECUTOR_NAMES) {
    if (e.name != name) continue;
    if (!e.available) throw UsageError(fmt::format("executor '{}' is not available in this build", name));
    return e.kind;
  }
  throw UsageError(fmt::format("unknown executor '{}' (serial or thread)", name));
}

std::string_view executor_name(ExecutorKind kind) {
  for (const ExecutorName& e : EXECUTOR_NAMES)
    if (e.available && e.kind == kind) return e.name;
  return "?";
}

std::string_view reduce_name(ReduceMode mode) { return mode == ReduceMode::serial ? "serial" : "tree"; }

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
