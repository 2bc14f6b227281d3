#include "ngfreq/series-count.h"

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "ngfreq/key-sink.h"

namespace ngfreq {

SeriesCount count_series(CountOptions opts, std::vector<SeriesQuery> queries,
                         const std::map<i64, u64>* totals, const SeriesSettings& settings, int expand) {
  opts.keys.by_year = true;
  opts.keys.only = query_filter(queries);
  CountResult result = run_count(opts);
  auto start = std::chrono::steady_clock::now();

  SeriesCount out;
  std::unordered_map<std::string, YearCounts> counts;
  std::mutex mutex;
  result.totals.visit([&](const FreqShard& shard) {
    std::lock_guard lock(mutex);
    for (const Entry& e : shard.entries()) {
      auto [ngram, year] = split_year_key(std::string_view(e.key, e.key_len));
      counts[std::string(ngram)][year] = {e.count, e.volumes};
      out.distinct++;
    }
  });
  queries = expand_wildcards(queries, counts, expand, out.unmatched);
  out.table = make_series(queries, counts, totals, settings);
  out.stats = result.stats;
  out.skipped = result.skipped;
  out.table_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace ngfreq
