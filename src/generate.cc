// Deterministic generator of a realistic Google Books corpus (v2 or v3, n-grams
// of order 1 to 5) or of English-like text. Its parts, under src/generate/:
//
//   random.h         seeded SplitMix64 streams; log and exp from exact operations
//   word-list.h      the word list and a trigram model of it for made-up words
//   surface-forms.h  the texts of n-grams (words, names, codes, OCR damage ...)
//                    and their POS-tagged variants
//   year-model.h     the years, match and volume counts of an n-gram
//   vocabulary.h     the distinct n-grams, drawn to the target size and sorted
//   corpus-writer.h  v2 and v3 lines of a sorted vocabulary
//   text-writer.h    sentences for `count -f text`
//   block-writer.h   blocks formatted in parallel, written in order (gzip-writer.h)
//
// Floating-point numbers see only + - * / and exact bit operations (det_log,
// det_exp), never libm's log/exp or std:: distributions, whose results may
// change between library versions. The bytes are the same for every thread
// count; a build that lets the compiler fuse multiply-adds (-march with FMA)
// may round differently from one that does not.
#include "ngfreq/generate.h"

#include <fmt/format.h>

#include "generate/corpus-writer.h"
#include "generate/text-writer.h"
#include "generate/vocabulary.h"
#include "generate/word-list.h"
#include "generate/year-model.h"

namespace ngfreq {
namespace {

/// Size of googlebooks-eng-all-1gram-20120701-a, the default for profile "a".
constexpr i64 A_PROFILE_BYTES = 1'801'526'075;
/// Default size without a profile: big enough to time, small enough to
/// generate in about a second.
constexpr i64 DEFAULT_BYTES = 100'000'000;
constexpr const char* DEFAULT_WORD_LIST = "/usr/share/dict/words";

}  // namespace

GenerateSummary generate_corpus(const GenerateOptions& opts) {
  using namespace generator;
  if (!opts.profile.empty() && opts.profile != "a")
    throw UsageError(fmt::format("unknown profile '{}' (known: a)", opts.profile));
  if (opts.output_path.empty()) throw UsageError("generate: no output path");
  if (opts.target_bytes < 0) throw UsageError("generate: target size must not be negative");
  char lead = opts.profile == "a" ? 'a' : 0;
  i64 target = opts.target_bytes ? opts.target_bytes : lead ? A_PROFILE_BYTES : DEFAULT_BYTES;
  std::string word_list = opts.word_list.empty() ? DEFAULT_WORD_LIST : opts.word_list;

  if (opts.n < 1 || opts.n > 5) throw UsageError("generate: --n must be 1 to 5");
  if (opts.format == GenerateFormat::text && opts.n != 1)
    throw UsageError(
        "generate: --n applies to v2 and v3, not to text (count its n-grams with count --ngram)");
  if (lead && (opts.n != 1 || opts.format != GenerateFormat::v2))
    throw UsageError("generate: --profile a mimics a v2 1-gram file: it takes neither --n nor --format");

  Words words = load_words(word_list, lead);
  if (opts.format == GenerateFormat::text) return write_text(words, opts, target);
  YearModel model;
  Vocabulary vocab = choose_vocabulary(words, model, opts.seed, lead, target, word_list, opts.n);
  sort_vocabulary(vocab);
  return write_corpus(model, vocab, opts);
}

}  // namespace ngfreq
