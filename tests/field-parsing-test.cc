#include "ngfreq/field-parsing.h"

#include <gtest/gtest.h>

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
