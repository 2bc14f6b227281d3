#include "generate/text-writer.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "generate/block-writer.h"
#include "generate/surface-forms.h"

namespace ngfreq::generator {
namespace {

// Real text keeps meeting new words: its vocabulary grows as Heaps' law
// V = K n^beta (n words; beta 0.4 to 0.7 for English). A fixed pool would
// stop growing once its tail is drawn, so the pool is sized from the words
// the text will hold: K = 25, beta = 0.6 give about 40 K forms for 2 MB
// and 1 M for 300 MB, of which the Zipf draw meets most.

constexpr double HEAPS_K = 25;
constexpr double HEAPS_BETA = 0.6;
constexpr i64 TEXT_BYTES_A_WORD = 8;  // measured: 8.2 with spaces and punctuation
constexpr i64 MIN_TEXT_POOL = 1000;
constexpr i64 TEXT_BLOCK_BYTES = 1 << 20;      // a block's text, about
constexpr u64 TEXT_SALT = 0x7465787400000000;  // "text": other seeds than the corpus's

i64 text_pool_size(i64 target_bytes) {
  double words = double(std::max<i64>(1, target_bytes / TEXT_BYTES_A_WORD));
  return std::max(MIN_TEXT_POOL, i64(HEAPS_K * std::pow(words, HEAPS_BETA)));
}

}  // namespace

GenerateSummary write_text(const Words& words, const GenerateOptions& opts, i64 target) {
  const i64 pool_size = text_pool_size(target);
  std::vector<std::string> pool(pool_size);
  std::vector<double> cumulative(pool_size);
  Rng pool_rng(text_seed(opts.seed ^ TEXT_SALT, 0));
  double sum = 0;
  for (i64 i = 0; i < pool_size; i++) {
    pool[i] = make_surface(pool_rng, words, 0);
    for (char& c : pool[i])
      if (c == ' ' || c == '\t') c = '-';  // one word each
    cumulative[i] = sum += 1.0 / double(i + 1);
  }
  i64 count = std::max<i64>(1, (target + TEXT_BLOCK_BYTES - 1) / TEXT_BLOCK_BYTES);
  std::vector<i64> block_words(count), block_lines(count);
  GenerateSummary summary;
  summary.bytes = write_blocks(opts, count, [&](i64 b, std::string& buf) {
    Rng rng(text_seed(opts.seed ^ TEXT_SALT, u64(b) + 1));
    i64 size = std::min(TEXT_BLOCK_BYTES, target - b * TEXT_BLOCK_BYTES);
    buf.clear();
    std::string word;
    while (i64(buf.size()) < size) {
      i64 n = 5 + rng.below(16);
      for (i64 k = 0; k < n; k++) {
        double u = rng.unit() * sum;
        i64 rank = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
        word = pool[std::min(rank, pool_size - 1)];
        if (k == 0) capitalize(word);
        if (k > 0) buf += ' ';
        buf += word;
        if (k + 1 < n && rng.chance(0.06)) buf += ',';
      }
      double r = rng.unit();
      if (r < 0.8)
        buf += '.';
      else if (r < 0.9)
        buf += '?';
      else if (r < 0.95)
        buf += '!';
      buf += '\n';
      block_words[b] += n;
      block_lines[b]++;
    }
  });
  for (i64 b = 0; b < count; b++) {
    summary.words += block_words[b];
    summary.lines += block_lines[b];
  }
  return summary;
}

}  // namespace ngfreq::generator
