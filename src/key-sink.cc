// Key options. Case folding is ICU's full Unicode folding (ucasemap, UTF-8
// in and out), so "Straße" and "STRASSE" meet and Greek final sigma folds;
// a Google tag suffix is left in upper case, so Aardvark_NOUN and
// aardvark_NOUN merge but do not collide with a word that happens to end
// in "_noun".
#include "ngfreq/key-sink.h"

#include <fmt/format.h>
#include <unicode/ucasemap.h>

#include <array>
#include <memory>

namespace ngfreq {

namespace {

constexpr std::array<std::string_view, 12> TAGS = {"NOUN", "VERB", "ADJ",  "ADV", "PRON", "DET",
                                                   "ADP",  "NUM",  "CONJ", "PRT", "X",    "."};
// Besides the tags in underscores (_NOUN_, _VERB_, ...).
constexpr std::array<std::string_view, 3> PLACEHOLDERS = {"_START_", "_END_", "_ROOT_"};

// The length of the tag suffix ("_NOUN") that `token` ends with, or 0. A
// token that is only a suffix ("_NOUN") has no word, so no tag.
size_t tag_suffix(std::string_view token) {
  for (std::string_view tag : TAGS) {
    size_t n = tag.size() + 1;
    if (token.size() > n && token.ends_with(tag) && token[token.size() - n] == '_') return n;
  }
  return 0;
}

bool is_placeholder(std::string_view token) {
  if (token.size() < 3 || token.front() != '_' || token.back() != '_') return false;
  for (std::string_view p : PLACEHOLDERS)
    if (token == p) return true;
  for (std::string_view tag : TAGS)
    if (token.size() == tag.size() + 2 && token.substr(1, tag.size()) == tag) return true;
  return false;
}

template <class F> void for_each_token(std::string_view ngram, F&& f) {
  size_t start = 0;
  for (;;) {
    size_t space = ngram.find(' ', start);
    f(ngram.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start));
    if (space == std::string_view::npos) return;
    start = space + 1;
  }
}

struct CaseMapCloser {
  void operator()(UCaseMap* m) const { ucasemap_close(m); }
};

// One case map a thread: opening one costs more than folding a short key.
UCaseMap* case_map() {
  thread_local std::unique_ptr<UCaseMap, CaseMapCloser> map = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCaseMap, CaseMapCloser> m(ucasemap_open("", U_FOLD_CASE_DEFAULT, &status));
    if (U_FAILURE(status)) throw Error(fmt::format("cannot open ICU case map: {}", u_errorName(status)));
    return m;
  }();
  return map.get();
}

// Appends the case fold of `word` (bytes that are not UTF-8 are kept as
// they are: ICU would replace them, and counting is by bytes).
void fold_word(std::string_view word, std::string& out) {
  bool ascii = true;
  for (char c : word) ascii &= u8(c) < 0x80;
  if (ascii) {
    for (char c : word) out += (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    return;
  }
  size_t at = out.size();
  out.resize(at + word.size() * 3 + 16);
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = ucasemap_utf8FoldCase(case_map(), out.data() + at, int32_t(out.size() - at), word.data(),
                                    int32_t(word.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    out.resize(at + n);
    status = U_ZERO_ERROR;
    n = ucasemap_utf8FoldCase(case_map(), out.data() + at, n, word.data(), int32_t(word.size()), &status);
  }
  if (U_FAILURE(status)) {
    out.resize(at);
    out.append(word);
    return;
  }
  out.resize(at + n);
}

}  // namespace

bool is_tagged_token(std::string_view token) { return tag_suffix(token) > 0 || is_placeholder(token); }

bool has_tagged_token(std::string_view ngram) {
  bool tagged = false;
  for_each_token(ngram, [&](std::string_view t) { tagged |= is_tagged_token(t); });
  return tagged;
}

void fold_case(std::string_view ngram, std::string& out) {
  bool first = true;
  for_each_token(ngram, [&](std::string_view token) {
    if (!first) out += ' ';
    first = false;
    if (is_placeholder(token)) {
      out.append(token);
      return;
    }
    size_t tag = tag_suffix(token);
    fold_word(token.substr(0, token.size() - tag), out);
    out.append(token.substr(token.size() - tag));
  });
}

bool KeySink::filter_keeps(std::string_view ngram) {
  if (!opts_.ignore_case) return opts_.only->keeps(ngram);
  key_.clear();
  fold_case(ngram, key_);
  return opts_.only->keeps(key_);
}

bool KeySink::wanted_remembered(std::string_view ngram) {
  if (remembered_any_ && ngram == remembered_ngram_) return remembered_wanted_;
  remembered_ngram_.assign(ngram);
  remembered_wanted_ = wanted(ngram);
  remembered_any_ = true;
  return remembered_wanted_;
}

void KeySink::add_transformed(std::string_view ngram, i64 year, u64 count, u64 volumes) {
  if (opts_.only ? !wanted_remembered(ngram) : !wanted(ngram)) return;
  std::string_view key = ngram;
  if (opts_.ignore_case || opts_.by_year) {
    key_.clear();
    if (opts_.ignore_case)
      fold_case(ngram, key_);
    else
      key_.append(ngram);
    if (opts_.by_year) {
      key_ += '\0';
      key_ += char(u8(year >> 8));
      key_ += char(u8(year));
    }
    key = key_;
  }
  // An ordered run keeps no hash (ordered-runs.h).
  table_.add(key, table_.ordered() ? 0 : hash_key(key), count, volumes);
}

}  // namespace ngfreq
