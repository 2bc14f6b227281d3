// The wide scan and the scalar one (scan-mode.h) on the same bytes: the same
// table, line count, skipped lines and first error, for v1, v2 and v3 lines
// of every shape the shortcuts treat specially: keys of 0-200 bytes and
// numbers of 1-20 digits (2^64 and more among them) at every alignment,
// lines across the 32-byte blocks and at the end of the text, CR LF, NUL
// bytes, missing and extra fields.
#include "ngfreq/scan-mode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>

#include "ngfreq/formats.h"
#include "ngfreq/key-filter.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

std::string digits(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; i++) s += char('0' + rng() % 10);
  return s;
}

// Numbers of 1-20 digits; in a broken text, also 2^64 and more.
std::string number(std::mt19937_64& rng, bool broken) {
  switch (rng() % 8) {
  case 0: return digits(rng, 1 + int(rng() % (broken ? 20 : 19)));
  case 1: return "18446744073709551615";  // 2^64 - 1: the sums saturate
  case 2: return broken ? "18446744073709551616" : "0";
  default: return digits(rng, 1 + int(rng() % 7));
  }
}

// Keys of 0-200 bytes (empty or with a NUL byte only in a broken text).
std::string key(std::mt19937_64& rng, bool broken) {
  static const std::string letters = "abcAB_ .,'\xc3\xa9";
  int len = int(rng() % 201);
  if (len == 0 && !broken) len = 1;
  std::string k;
  for (int i = 0; i < len; i++) k += letters[rng() % letters.size()];
  if (broken && rng() % 50 == 0) k[rng() % k.size()] = '\0';
  return k;
}

// A line of `format`; in a broken text, now and then malformed.
std::string line(std::mt19937_64& rng, Format format, std::string& last_key, bool broken) {
  if (last_key.empty() || rng() % 3 == 0) last_key = key(rng, broken);  // else one more year of it
  std::string year = broken && rng() % 20 == 0 ? number(rng, broken) : std::to_string(1500 + rng() % 520);
  std::string l = last_key + "\t";
  if (format == Format::v3) {
    int triples = 1 + int(rng() % 4);
    for (int t = 0; t < triples; t++)
      l += (t ? "\t" : "") + year + "," + number(rng, broken) + "," + number(rng, broken);
  } else {
    l += year + "\t" + number(rng, broken) + "\t" + (format == Format::v1 ? number(rng, broken) + "\t" : "") +
         number(rng, broken);
  }
  if (rng() % 10 == 0) l += "\r";  // CR LF
  if (broken) switch (rng() % 100) {
    case 0: l += "\tx"; break;                      // an extra field
    case 1: l.erase(l.rfind('\t')); break;          // a missing one
    case 2: l[rng() % l.size()] = 'z'; break;       // a letter somewhere
    case 3: l.insert(l.size() - 1, 1, ' '); break;  // a space in a number
    default: break;
    }
  return l + "\n";
}

struct Result {
  Reference table;
  bool overflowed;
  MapOutcome outcome;
};

Result map_in(ScanMode mode, Format format, std::string_view text, const MapOptions& opts) {
  ScanMode before = scan_mode();
  set_scan_mode(mode);
  FreqTable table;
  MapOutcome outcome = map_text(format, text, opts, table);
  set_scan_mode(before);
  return {table_contents(table), table.overflowed(), std::move(outcome)};
}

void expect_same(const LineError& a, const LineError& b) {
  EXPECT_EQ(a.offset, b.offset);
  EXPECT_EQ(a.line_index, b.line_index);
  EXPECT_EQ(a.reason, b.reason);
}

}  // namespace

TEST(ScanMode, WideAndScalarAgreeOnEveryShapeOfLine) {
  std::mt19937_64 rng(2026);
  int compared = 0, with_errors = 0;
  for (Format format : {Format::v1, Format::v2, Format::v3})
    for (int round = 0; round < 150; round++) {
      // A first line of 0-63 bytes moves everything after it to another
      // alignment against the 32-byte blocks.
      std::string text =
          std::string(round % 64, 'p') + "\t1900\t1\t" + (format == Format::v1 ? "1\t" : "") + "1\n";
      if (format == Format::v3) text = std::string(round % 64, 'p') + "\t1900,1,1\n";
      std::string last_key;
      bool broken = round % 2 == 1;
      int lines = 1 + int(rng() % 60);
      for (int i = 0; i < lines; i++) text += line(rng, format, last_key, broken);
      if (rng() % 4 == 0) text.pop_back();  // no final newline
      for (int variant = 0; variant < 5; variant++) {
        MapOptions opts;
        opts.on_error = variant % 2 ? OnError::skip : OnError::fail;
        opts.keys.by_year = variant == 2;
        if (variant == 4) opts.years = {1800, 1950};  // the year's value matters to the sums
        if (variant == 3) {
          auto only = std::make_shared<KeyFilter>();
          only->keep(last_key);
          opts.keys.only = only;
        }
        Result wide = map_in(ScanMode::wide, format, text, opts);
        Result scalar = map_in(ScanMode::scalar, format, text, opts);
        SCOPED_TRACE(testing::Message()
                     << "format " << int(format) << ", round " << round << ", variant " << variant);
        EXPECT_EQ(wide.table, scalar.table);
        EXPECT_EQ(wide.overflowed, scalar.overflowed);
        EXPECT_EQ(wide.outcome.lines, scalar.outcome.lines);
        EXPECT_EQ(wide.outcome.skipped, scalar.outcome.skipped);
        ASSERT_EQ(wide.outcome.error.has_value(), scalar.outcome.error.has_value());
        if (wide.outcome.error) expect_same(*wide.outcome.error, *scalar.outcome.error);
        ASSERT_EQ(wide.outcome.first_skipped.size(), scalar.outcome.first_skipped.size());
        for (size_t i = 0; i < wide.outcome.first_skipped.size(); i++)
          expect_same(wide.outcome.first_skipped[i], scalar.outcome.first_skipped[i]);
        compared++;
        with_errors += wide.outcome.error || wide.outcome.skipped > 0;
      }
    }
  // The inputs must exercise both: well-formed texts and broken ones.
  EXPECT_GT(with_errors, compared / 10);
  EXPECT_LT(with_errors, compared * 9 / 10);
}

TEST(ScanMode, NeighbouringKeysThatDifferInOneByteOrInLengthStayApart) {
  // The wide scan compares a line's key with the one before in 16-byte
  // pieces, masked to the key's length: keys of 1-40 bytes (across the 8,
  // 16 and 32-byte cases), each followed by itself, by itself with one byte
  // changed at every position, by itself one byte longer and one shorter,
  // in runs long enough for the lean loops, at every alignment.
  std::string text;
  for (int len = 1; len <= 40; len++)
    for (int at = 0; at < len; at++) {
      std::string k;
      for (int i = 0; i < len; i++) k += char('a' + (i * 7 + len) % 26);
      std::string changed = k;
      changed[at] = char(changed[at] ^ 0x20);  // the other case
      std::vector<std::string> run = {k, changed, k + "a", k.substr(0, len - 1), k};
      for (size_t r = 0; r < run.size(); r++) {
        if (run[r].empty()) continue;
        for (int year = 0; year < 3 + (at + len) % 40; year++)
          text += run[r] + "\t" + std::to_string(1900 + year) + "\t" + std::to_string(1 + r + year) + "\t1\n";
      }
    }
  Reference want = reference_count(text);
  for (ScanMode mode : {ScanMode::wide, ScanMode::scalar}) {
    Result got = map_in(mode, Format::v2, text, MapOptions{});
    EXPECT_FALSE(got.outcome.error.has_value());
    EXPECT_EQ(got.table, want) << (mode == ScanMode::wide ? "wide" : "scalar");
    EXPECT_EQ(got.outcome.lines, i64(std::count(text.begin(), text.end(), '\n')));
  }
}

TEST(ScanMode, TextsThatEndSoonAfterAKeyAreReadWithinTheirBytes) {
  // The wide scan loads up to 16 bytes at a key and 16 or more at a line:
  // every text of one key's lines, cut after each line, mapped from a
  // buffer of exactly its size (under ASan, which CI runs, a load past its
  // end fails the test), for keys of 1-40 bytes, in v2 and v3.
  for (Format format : {Format::v2, Format::v3})
    for (int len = 1; len <= 40; len++) {
      std::string key(size_t(len), 'k'), text;
      for (int year = 0; year < 6; year++) {
        // Counts of 8 digits too: the widest a fast path reads.
        std::string match = std::to_string(year % 2 ? 10000000 + year : 1 + year * 37);
        text += key + "\t" + std::to_string(1990 + year) + (format == Format::v3 ? "," : "\t") + match +
                (format == Format::v3 ? "," : "\t") + "1\n";
        std::unique_ptr<char[]> exact(new char[text.size()]);
        std::memcpy(exact.get(), text.data(), text.size());
        Result got = map_in(ScanMode::wide, format, std::string_view(exact.get(), text.size()), MapOptions{});
        Result want = map_in(ScanMode::scalar, format, text, MapOptions{});
        EXPECT_EQ(got.table, want.table)
            << "format " << int(format) << ", key of " << len << ", " << year + 1 << " lines";
        EXPECT_EQ(got.outcome.lines, want.outcome.lines);
      }
    }
}

TEST(ScanMode, RunsOfLinesAndOfTriplesAcrossTheBatchesOfSums) {
  // The lean loops read counts' digits in batches of ALIGNED_SUMS_MAX
  // lines (v2) or triples (v3): runs of 1-100 lines of one key and v3
  // lines of 1-100 triples, with and without a year filter, give the
  // scalar scan's totals and line counts.
  std::mt19937_64 rng(28);
  std::string v2, v3;
  for (int n = 1; n <= 100; n++) {
    std::string key = "key" + std::to_string(n);
    v3 += key;
    for (int i = 0; i < n; i++) {
      // Counts of 1-4 digits: a triple of them fits the 16 bytes v3's lean
      // loop reads, so whole lines take it.
      std::string year = std::to_string(1800 + i), match = digits(rng, 1 + int(rng() % 4)),
                  volumes = digits(rng, 1 + int(rng() % 4));
      v2 += key + "\t" + year + "\t" + match + "\t" + volumes + "\n";
      v3 += "\t" + year + "," + match + "," + volumes;
    }
    v3 += "\n";
  }
  for (auto [format, text] : {std::pair{Format::v2, &v2}, std::pair{Format::v3, &v3}})
    for (bool filtered : {false, true}) {
      MapOptions opts;
      if (filtered) opts.years = {1830, 1870};
      Result wide = map_in(ScanMode::wide, format, *text, opts);
      Result scalar = map_in(ScanMode::scalar, format, *text, opts);
      SCOPED_TRACE(testing::Message() << "format " << int(format) << ", filtered " << filtered);
      EXPECT_EQ(wide.table, scalar.table);
      EXPECT_EQ(wide.outcome.lines, scalar.outcome.lines);
      EXPECT_EQ(wide.table.size(), filtered ? 70u : 100u);  // a key of 30 years or fewer ends before 1830
    }
}

TEST(ScanMode, TheEnvironmentChoosesTheMode) {
  // ctest runs the parser tests once more with NGFREQ_SCAN=scalar.
  const char* v = std::getenv("NGFREQ_SCAN");
  EXPECT_EQ(scan_mode(), v && std::string(v) == "scalar" ? ScanMode::scalar : ScanMode::wide);
}
