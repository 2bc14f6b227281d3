#include "generate/corpus-writer.h"

#include <charconv>
#include <cstring>
#include <string>
#include <vector>

#include "generate/block-writer.h"

namespace ngfreq::generator {
namespace {

// Output is formatted in blocks of about 4 MiB: large enough that write
// calls and task overheads vanish, small enough that the blocks in flight
// (a few a thread, block-writer.cc: tens of MB) bound memory and keep
// the cores evenly loaded.
constexpr i64 BLOCK_BYTES = 4 << 20;

/// A run of consecutive sorted n-grams formatted as one buffer.
struct Block {
  i64 begin;
  i64 end;
  i64 bytes;
};

std::vector<Block> plan_blocks(const Vocabulary& vocab) {
  std::vector<Block> blocks;
  Block b{0, 0, 0};
  for (const Ngram& g : vocab.ngrams) {
    b.bytes += g.bytes;
    b.end++;
    if (b.bytes >= BLOCK_BYTES) {
      blocks.push_back(b);
      b = {b.end, b.end, 0};
    }
  }
  if (b.end > b.begin) blocks.push_back(b);
  return blocks;
}

// v2: a line a year. v3: a line an n-gram, never longer than its v2 lines.
void format_block(const YearModel& model, const Vocabulary& vocab, const Block& block, GenerateFormat format,
                  std::string& buf) {
  buf.resize(block.bytes);
  char* p = buf.data();
  char* end = buf.data() + buf.size();
  for (i64 i = block.begin; i < block.end; i++) {
    const Ngram& g = vocab.ngrams[i];
    std::string_view text = vocab.text(g);
    if (end - p < g.bytes) throw Error("generate: internal error: n-gram size changed");
    if (format == GenerateFormat::v3) {
      std::memcpy(p, text.data(), text.size());
      p += text.size();
    }
    model.generate(g.seed, vocab.total(g), [&](i64 year, i64 match, i64 volume) {
      char sep = format == GenerateFormat::v3 ? ',' : '\t';
      if (format == GenerateFormat::v2) {
        std::memcpy(p, text.data(), text.size());
        p += text.size();
      }
      *p++ = '\t';
      std::memcpy(p, model.year_text(year).data(), 4);
      p += 4;
      *p++ = sep;
      p = std::to_chars(p, end, match).ptr;
      *p++ = sep;
      p = std::to_chars(p, end, volume).ptr;
      if (format == GenerateFormat::v2) *p++ = '\n';
    });
    if (format == GenerateFormat::v3) *p++ = '\n';
  }
  if (format == GenerateFormat::v2 && p != end) throw Error("generate: internal error: block size changed");
  buf.resize(p - buf.data());
}

}  // namespace

GenerateSummary write_corpus(const YearModel& model, const Vocabulary& vocab, const GenerateOptions& opts) {
  std::vector<Block> blocks = plan_blocks(vocab);
  GenerateSummary summary;
  summary.bytes = write_blocks(opts, blocks.size(), [&](i64 b, std::string& buf) {
    format_block(model, vocab, blocks[b], opts.format, buf);
  });
  for (const Ngram& g : vocab.ngrams) summary.lines += opts.format == GenerateFormat::v3 ? 1 : g.lines;
  summary.ngrams = vocab.ngrams.size();
  return summary;
}

}  // namespace ngfreq::generator
