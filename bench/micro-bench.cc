// Micro-benchmarks of the map loop's pieces: the v2 line parser, table
// insertion (hits and misses) and the shard merge. Run:
//   cmake --build build --target ngfreq-micro-bench && build/bench/ngfreq-micro-bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ngfreq/freq-table.h"
#include "ngfreq/hash.h"
#include "ngfreq/scan-mode.h"
#include "ngfreq/v2-parser.h"

using namespace ngfreq;

namespace {

// v2 text with `lines_per_key` consecutive years per n-gram, as in Google's
// files (about 50 on average for 1-grams).
std::string make_text(int keys, int lines_per_key) {
  std::string out;
  for (int k = 0; k < keys; k++) {
    std::string key = "word" + std::to_string(k * 7919 % 1000003) + (k % 3 ? "_NOUN" : "");
    for (int y = 0; y < lines_per_key; y++)
      out += key + '\t' + std::to_string(1800 + y) + '\t' + std::to_string(1 + (k * y) % 997) + '\t' +
             std::to_string(1 + y % 7) + '\n';
  }
  return out;
}

std::vector<std::string> make_keys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; i++) keys.push_back("key" + std::to_string(i * 2654435761u));
  return keys;
}

// Args: lines a key, scan mode (scan-mode.h: 0 wide, 1 scalar).
void BM_ParseV2(benchmark::State& state) {
  std::string text = make_text(20000, int(state.range(0)));
  auto mode = state.range(1) == 0 ? ScanMode::wide : ScanMode::scalar;
  set_scan_mode(mode);
  for (auto _ : state) {
    FreqTable table;
    MapOutcome m = map_v2(text, YearFilter{}, table);
    benchmark::DoNotOptimize(m.lines);
  }
  state.SetBytesProcessed(state.iterations() * i64(text.size()));
  state.SetLabel(mode == ScanMode::wide ? "wide" : "scalar");
}
BENCHMARK(BM_ParseV2)->ArgsProduct({{1, 50}, {0, 1}});

void BM_TableInsertMiss(benchmark::State& state) {
  std::vector<std::string> keys = make_keys(int(state.range(0)));
  for (auto _ : state) {
    FreqTable table;
    for (const std::string& k : keys) table.add(k, hash_key(k), 1, 1);
    benchmark::DoNotOptimize(table.size());
  }
  state.SetItemsProcessed(state.iterations() * i64(keys.size()));
}
BENCHMARK(BM_TableInsertMiss)->Arg(10000)->Arg(1000000);

void BM_TableInsertHit(benchmark::State& state) {
  std::vector<std::string> keys = make_keys(int(state.range(0)));
  FreqTable table;
  for (const std::string& k : keys) table.add(k, hash_key(k), 1, 1);
  for (auto _ : state) {
    for (const std::string& k : keys) table.add(k, hash_key(k), 1, 1);
  }
  state.SetItemsProcessed(state.iterations() * i64(keys.size()));
}
BENCHMARK(BM_TableInsertHit)->Arg(10000)->Arg(1000000);

// Merging two tables of n keys each that share `overlap` percent of them.
void BM_ShardMerge(benchmark::State& state) {
  int n = int(state.range(0));
  int overlap = int(state.range(1));
  std::vector<std::string> keys = make_keys(2 * n);
  for (auto _ : state) {
    state.PauseTiming();
    FreqTable a, b;
    for (int i = 0; i < n; i++) a.add(keys[i], hash_key(keys[i]), 1, 1);
    int from = n - n * overlap / 100;
    for (int i = from; i < from + n; i++) b.add(keys[i], hash_key(keys[i]), 1, 1);
    std::vector<FreqTable*> sources{&b};
    state.ResumeTiming();
    merge_tables(a, sources, false);
    benchmark::DoNotOptimize(a.size());
  }
  state.SetItemsProcessed(state.iterations() * i64(n));
}
BENCHMARK(BM_ShardMerge)->Args({100000, 0})->Args({100000, 100});

}  // namespace

BENCHMARK_MAIN();
