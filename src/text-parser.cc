// The text map loop: each line split into words, each run of `ngram`
// consecutive words within a line counted once (joined by one space).
//
// whitespace: words are runs of bytes other than ASCII space, TAB, CR, LF,
// VT and FF, exactly Python's bytes.split(); nothing is decoded, so bytes
// that are not UTF-8 are counted as they are. word: words are runs of
// Unicode letters, digits (ICU's u_isalnum, on code points decoded from
// UTF-8) and apostrophes (' and U+2019); ASCII is classified by a table
// without decoding, and bytes that are not UTF-8 count as word bytes, so
// nothing is silently dropped. Text has no malformed lines.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cstring>
#include <tuple>
#include <vector>

#include "ngfreq/formats.h"
#include "ngfreq/key-sink.h"

namespace ngfreq {

namespace {

constexpr std::array<bool, 256> make_space_table() {
  std::array<bool, 256> t{};
  for (u8 c : {' ', '\t', '\r', '\n', '\v', '\f'}) t[c] = true;
  return t;
}
constexpr std::array<bool, 256> SPACE = make_space_table();

constexpr std::array<bool, 128> make_ascii_word_table() {
  std::array<bool, 128> t{};
  for (int c = 0; c < 128; c++)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
  return t;
}
constexpr std::array<bool, 128> ASCII_WORD = make_ascii_word_table();

constexpr UChar32 RIGHT_SINGLE_QUOTE = 0x2019;

// The byte length of the character at p, and whether it is part of a word
// (word tokenizer).
std::pair<size_t, bool> classify(const char* p, const char* end) {
  u8 c = *p;
  if (c < 0x80) return {1, ASCII_WORD[c]};
  int32_t i = 0, n = int32_t(std::min<i64>(end - p, 4));
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const uint8_t*>(p), i, n, cp);
  if (cp < 0) return {size_t(i), true};  // not UTF-8: kept as word bytes
  return {size_t(i), u_isalnum(cp) || cp == RIGHT_SINGLE_QUOTE};
}

// Calls f(word) for every word of [p, end) (one line), in order.
template <class F> void for_each_word(const char* p, const char* end, Tokenizer tokenizer, F&& f) {
  if (tokenizer == Tokenizer::whitespace) {
    while (p < end) {
      while (p < end && SPACE[u8(*p)]) p++;
      const char* start = p;
      while (p < end && !SPACE[u8(*p)]) p++;
      if (p > start) f(std::string_view(start, p - start));
    }
    return;
  }
  while (p < end) {
    auto [len, word] = classify(p, end);
    if (!word) {
      p += len;
      continue;
    }
    const char* start = p;
    do {
      p += len;
      if (p >= end) break;
      std::tie(len, word) = classify(p, end);
    } while (word);
    f(std::string_view(start, p - start));
  }
}

}  // namespace

MapOutcome map_words(std::string_view text, const MapOptions& opts, FreqTable& table) {
  MapOutcome out(opts.on_error);
  KeySink sink(opts.keys, table);
  const int n = std::max(1, opts.ngram);
  std::vector<std::string_view> window;  // the last n words of the line
  std::string joined;
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* line_end = nl ? nl : end;
    if (n == 1) {
      for_each_word(p, line_end, opts.tokenizer, [&](std::string_view w) { sink.add(w, 0, 1, 0); });
    } else {
      window.clear();
      for_each_word(p, line_end, opts.tokenizer, [&](std::string_view w) {
        if (i64(window.size()) == n) window.erase(window.begin());
        window.push_back(w);
        if (i64(window.size()) < n) return;
        joined.clear();
        for (std::string_view x : window) {
          if (!joined.empty()) joined += ' ';
          joined.append(x);
        }
        sink.add(joined, 0, 1, 0);
      });
    }
    out.lines++;
    p = nl ? nl + 1 : end;
  }
  return out;
}

}  // namespace ngfreq
