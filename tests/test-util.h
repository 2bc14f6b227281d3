// Helpers shared by the tests: a small seeded v2 corpus maker, gzip, temp
// directories, running the CLI, and an independent reference count that
// shares no code with ngfreq (plain std::getline and std::map).
#pragma once

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"
#include "ngfreq/hash.h"
#include "ngfreq/totals.h"

namespace ngfreq::test {

struct RefTotals {
  u64 count = 0;
  u64 volumes = 0;
  bool operator==(const RefTotals&) const = default;
};
using Reference = std::map<std::string, RefTotals>;  // std::string orders by unsigned bytes

/// The reference implementation: splits each line on tabs with getline and
/// sums fields 3 and 4 per n-gram, keeping years in [since, until].
inline Reference reference_count(const std::string& text, i64 since = INT64_MIN, i64 until = INT64_MAX) {
  Reference ref;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    std::istringstream fields(line);
    std::string field;
    while (std::getline(fields, field, '\t')) f.push_back(field);
    if (f.size() != 4) throw std::runtime_error("reference: bad line: " + line);
    i64 year = std::stoll(f[1]);
    if (year < since || year > until) continue;
    RefTotals& t = ref[f[0]];
    t.count += std::stoull(f[2]);
    t.volumes += std::stoull(f[3]);
  }
  return ref;
}

/// Every entry of a table, as the reference's map.
inline Reference table_contents(const FreqTable& table) {
  Reference out;
  if (table.empty()) return out;
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++)
    for (const Entry& e : table.shard(s).entries()) {
      auto [it, fresh] = out.emplace(std::string(e.key_view()), RefTotals{e.count, e.volumes});
      if (!fresh) throw std::runtime_error("duplicate key in table: " + it->first);
    }
  return out;
}

/// Every total of a count, as the reference's map: visits the partitions of
/// partitioned totals (consuming them) as the output would.
inline Reference totals_contents(Totals& totals) {
  Reference out;
  std::mutex mutex;
  std::string duplicate;
  totals.visit([&](const FreqShard& shard) {
    std::lock_guard lock(mutex);
    for (const Entry& e : shard.entries()) {
      auto [it, fresh] = out.emplace(std::string(e.key_view()), RefTotals{e.count, e.volumes});
      if (!fresh) duplicate = it->first;
    }
  });
  if (!duplicate.empty()) throw std::runtime_error("duplicate key in totals: " + duplicate);
  return out;
}
inline Reference totals_contents(Totals&& totals) { return totals_contents(totals); }

/// splitmix64: a tiny PRNG whose output is the same on every platform.
struct Rng {
  u64 state;
  u64 next() {
    u64 z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  i64 below(i64 n) { return i64(next() % u64(n)); }
};

/// Adds `adds` random counts of keys "w0".."w<distinct - 1>" to the tables
/// in turn, as threads mapping would, and to `want`.
inline void add_round_robin(std::vector<FreqTable>& tables, int adds, i64 distinct, u64 seed,
                            Reference& want) {
  Rng rng{seed};
  for (int i = 0; i < adds; i++) {
    std::string key = "w" + std::to_string(rng.below(distinct));
    u64 count = 1 + rng.below(50);
    tables[i % tables.size()].add(key, hash_key(key), count, 1);
    want[key].count += count;
    want[key].volumes += 1;
  }
}

/// A v2 corpus of `ngrams` n-grams with 1..40 rising years each: sorted
/// keys, tags, UTF-8, punctuation, spaces (2-gram style) and a few huge
/// counts, so sums need all 64 bits.
inline std::string make_v2_corpus(u64 seed, int ngrams) {
  static const char* stems[] = {"aardvark", "Aardvark",    "abacus", "A.5.3", "über",
                                "naïve",    "kill switch", "zebra",  "x",     "don't",
                                "ξi",       "co-op",       ",",      "1984",  "EYELIDS_"};
  static const char* tags[] = {"",     "",     "",     "_NOUN", "_VERB", "_ADJ", "_ADV", "_PRON",
                               "_DET", "_ADP", "_NUM", "_CONJ", "_PRT",  "_X",   "_."};
  Rng rng{seed};
  std::map<std::string, int> keys;
  while (int(keys.size()) < ngrams) {
    std::string k = stems[rng.below(std::size(stems))];
    k += std::to_string(rng.below(ngrams));
    k += tags[rng.below(std::size(tags))];
    keys[k] = 0;
  }
  std::string out;
  for (auto& [key, unused] : keys) {
    i64 years = 1 + rng.below(40);
    i64 year = 1500 + rng.below(100);
    for (i64 y = 0; y < years; y++) {
      year += 1 + rng.below(12);
      u64 match = rng.below(7) == 0 ? rng.next() >> 8 : u64(1 + rng.below(5000));
      u64 volumes = 1 + rng.next() % match;
      out += key + '\t' + std::to_string(year) + '\t' + std::to_string(match) + '\t' +
             std::to_string(volumes) + '\n';
    }
  }
  return out;
}

/// gzip-compresses `data` as one member.
inline std::string gzip(const std::string& data, int level = 6) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = data.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline void write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream f(p, std::ios::binary);
  f << data;
  if (!f) throw std::runtime_error("cannot write " + p.string());
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// A fresh directory, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ngfreq-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The genuine Google Books v2 excerpts, or "" when ../shared is absent.
inline std::string real_heads_dir() {
  std::filesystem::path dir = std::filesystem::path(NGFREQ_SHARED_DIR) / "datasets/real/v2/1gram-heads";
  return std::filesystem::is_directory(dir) ? dir.string() : "";
}

}  // namespace ngfreq::test
