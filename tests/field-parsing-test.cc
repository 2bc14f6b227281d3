#include "ngfreq/field-parsing.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace ngfreq;

namespace {

// What the plain loop makes of the same bytes: (digits, value).
std::pair<int, u64> by_loop(const std::string& s) {
  const char* p = s.data();
  u64 v = 0;
  EXPECT_TRUE(parse_u64(p, s.data() + s.size(), v));
  return {int(p - s.data()), v};
}

}  // namespace

TEST(ParseShortU64, AgreesWithTheLoopForEveryLengthAndFollowingByte) {
  // Every number up to 7 digits with a spread of values, followed by the
  // bytes that end fields and some that do not.
  for (u64 n = 0; n < 10'000'000; n += n < 100'000 ? 1 : 997) {
    for (char after : {',', '\t', '\n', '/', ':', '\xc3', 'a'}) {
      std::string s = std::to_string(n) + after + "9999999";
      u64 v = 0;
      int digits = parse_short_u64(s.data(), v);
      auto [want_digits, want] = by_loop(s.substr(0, std::to_string(n).size() + 1));
      ASSERT_EQ(digits, want_digits) << s;
      ASSERT_EQ(v, want) << s;
    }
  }
}

TEST(ParseShortU64, LeadingZerosCount) {
  u64 v = 0;
  EXPECT_EQ(parse_short_u64("0007,...", v), 4);
  EXPECT_EQ(v, 7u);
}

TEST(ParseShortU64, NoDigitOrEightAndMoreAreLeftToTheLoop) {
  u64 v = 0;
  EXPECT_EQ(parse_short_u64(",1234567", v), 0);
  EXPECT_EQ(parse_short_u64("12345678", v), 0);
  EXPECT_EQ(parse_short_u64("123456789012", v), 0);
  EXPECT_EQ(parse_short_u64("1234567,", v), 7);
  EXPECT_EQ(v, 1234567u);
}

TEST(ParseU64, NineteenDigitsFitAndTheLargestValueToo) {
  std::string s = "18446744073709551615";
  const char* p = s.data();
  u64 v = 0;
  EXPECT_TRUE(parse_u64(p, s.data() + s.size(), v));
  EXPECT_EQ(v, 18446744073709551615ull);
  s = "18446744073709551616";
  p = s.data();
  EXPECT_FALSE(parse_u64(p, s.data() + s.size(), v));
}

TEST(AlignedShortDigits, SumsOfUpTo28NumbersReadAsTheirExactSum) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; round++) {
    int count = 1 + int(rng() % ALIGNED_SUMS_MAX);
    u64 sums = 0, expected = 0;
    for (int i = 0; i < count; i++) {
      // 1-7 digits, the largest (9...9) often, then a separator and junk.
      int len = 1 + int(rng() % 7);
      std::string s;
      for (int d = 0; d < len; d++) s += char('0' + (rng() % 4 == 0 ? 9 : rng() % 10));
      s += "\t12345678";
      u64 aligned = 0;
      ASSERT_EQ(aligned_short_digits(s.data(), aligned), len) << s;
      sums += aligned;
      expected += by_loop(s).second;
    }
    EXPECT_EQ(aligned_digits_value(sums), expected);
  }
}

TEST(AlignedShortDigits, NoDigitOrEightAndMoreAreLeftToTheCaller) {
  u64 aligned = 1;
  EXPECT_EQ(aligned_short_digits("\t1234567", aligned), 0);
  EXPECT_EQ(aligned_short_digits("12345678", aligned), 0);
  EXPECT_EQ(aligned_short_digits("1234567\n", aligned), 7);
  EXPECT_EQ(aligned_digits_value(aligned), 1234567u);
}

// The plain reading of aligned_count_pair's fields: "yyyy," (v3) then
// digits, SEP, digits and END, nothing after; the counts' digits in
// `match` and `volumes`.
static bool plain_count_pair(const std::string& f, bool v3, std::string& match, std::string& volumes) {
  auto digit = [&](size_t i) { return i < f.size() && f[i] >= '0' && f[i] <= '9'; };
  size_t i = 0;
  if (v3) {
    for (; i < 4; i++)
      if (!digit(i)) return false;
    if (f.size() < 5 || f[4] != ',') return false;
    i = 5;
  }
  size_t from = i;
  while (digit(i)) i++;
  match = f.substr(from, i - from);
  if (i >= f.size() || f[i] != (v3 ? ',' : '\t')) return false;
  from = ++i;
  while (digit(i)) i++;
  volumes = f.substr(from, i - from);
  if (i + 1 != f.size() || !(f[i] == '\n' || (v3 && f[i] == '\t'))) return false;
  return !match.empty() && !volumes.empty();
}

// aligned_count_pair against a plain reading of the same bytes: random
// fields of v2's shape ("match TAB volumes LF") and v3's ("yyyy,match,volumes"
// then TAB or LF), counts of 0-10 digits, now and then a wrong byte, at
// every position of the 16-byte window. It must accept exactly the
// well-formed fields with counts of 1-8 digits that end within 16 bytes,
// and read their values.
TEST(AlignedCountPair, ReadsExactlyTheWellFormedShortCounts) {
  std::mt19937_64 rng(17);
  const std::string bytes = std::string("0123456789,\t\n\r x\x80\xb9\xff/:") + '\0';
  int accepted = 0, refused = 0;
  for (int round = 0; round < 200000; round++) {
    bool v3 = round % 2;
    std::string year = v3 ? std::to_string(1000 + rng() % 9000) + "," : "";
    auto digits = [&](int n) {
      std::string d;
      for (int i = 0; i < n; i++) d += char('0' + rng() % 10);
      return d;
    };
    int m = int(rng() % 11), w = int(rng() % 11);
    std::string match = digits(m), volumes = digits(w);
    char sep = v3 ? ',' : '\t';
    char end = v3 && rng() % 2 ? '\t' : '\n';
    std::string text = year + match + sep + volumes + end;
    if (rng() % 4 == 0) text[rng() % text.size()] = bytes[rng() % bytes.size()];
    // The plain reading, up to the first END.
    size_t end_at = text.find_first_of(v3 ? "\t\n" : "\n");
    std::string fields = text.substr(0, end_at == std::string::npos ? text.size() : end_at + 1);
    std::string want_match, want_volumes;
    bool shape = plain_count_pair(fields, v3, want_match, want_volumes);
#ifdef __SSE2__
    bool want = shape && fields.size() <= 16 && want_match.size() <= 8 && want_volumes.size() <= 8;
#else  // the fallback reads counts of 1-7 digits, as aligned_short_digits
    bool want = shape && want_match.size() <= 7 && want_volumes.size() <= 7;
#endif
    text += std::string(32, '7');  // what follows: readable, never read as part of the counts
    u64 match_aligned = 0, volumes_aligned = 0;
    const char* next =
        v3 ? aligned_count_pair<',', true, true>(text.data(), match_aligned, volumes_aligned)
           : aligned_count_pair<'\t', false, false>(text.data(), match_aligned, volumes_aligned);
    SCOPED_TRACE(testing::Message() << "round " << round << ": '" << fields << "'");
    ASSERT_EQ(next != nullptr, want);
    if (!next) {
      refused++;
      continue;
    }
    accepted++;
    EXPECT_EQ(next - text.data(), i64(fields.size()));
    EXPECT_EQ(aligned_digits_value(match_aligned), std::stoull(want_match));
    EXPECT_EQ(aligned_digits_value(volumes_aligned), std::stoull(want_volumes));
  }
  EXPECT_GT(accepted, 20000);
  EXPECT_GT(refused, 20000);
}
