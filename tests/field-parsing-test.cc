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
