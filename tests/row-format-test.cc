#include "ngfreq/row-format.h"

#include <gtest/gtest.h>

#include "ngfreq/field-parsing.h"
#include "ngfreq/key-sink.h"

using namespace ngfreq;

namespace {

std::string csv_field(std::string_view s) {
  std::string out;
  append_csv_field(out, s);
  return out;
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string row(const RowLayout& layout, std::string_view key, u64 total, u64 volumes = 0) {
  std::string out;
  format_row(out, layout, key, total, volumes);
  return out;
}

// A --by-year key as KeySink builds it.
std::string year_key(std::string_view ngram, i64 year) {
  std::string key(ngram);
  key += '\0';
  key += char(u8(year >> 8));
  key += char(u8(year));
  return key;
}

}  // namespace

TEST(CsvField, PlainFieldsStayUnquoted) {
  EXPECT_EQ(csv_field("Aardvark_NOUN"), "Aardvark_NOUN");
  EXPECT_EQ(csv_field("kill switch"), "kill switch");
  EXPECT_EQ(csv_field(" spaced "), " spaced ");
  EXPECT_EQ(csv_field(""), "");
}

TEST(CsvField, CommasQuotesAndLineBreaksAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
  EXPECT_EQ(csv_field("a\rb"), "\"a\rb\"");
  EXPECT_EQ(csv_field("a\nb"), "\"a\nb\"");
}

TEST(JsonString, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string("\t\n\r"), R"("\t\n\r")");
  EXPECT_EQ(json_string(std::string_view("\x01\x1f\0", 3)), R"("\u0001\u001f\u0000")");
  EXPECT_EQ(json_string("/ \x7f"), "\"/ \x7f\"");
}

TEST(JsonString, ValidUtf8PassesThroughAndOtherBytesBecomeLowSurrogates) {
  EXPECT_EQ(json_string("naïve 日本 😀"), "\"naïve 日本 😀\"");
  EXPECT_EQ(json_string("a\xff"), R"("a\udcff")");
  // A lead byte without its continuation, and a lone continuation byte.
  EXPECT_EQ(json_string("\xc3 \x80"), R"("\udcc3 \udc80")");
  // An encoded surrogate is not UTF-8: each of its bytes is escaped.
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\udced\udca0\udc80")");
}

TEST(Utf8Sequence, AcceptsShortestFormsUpToU10FFFF) {
  EXPECT_EQ(utf8_sequence("\xc2\x80"), 2u);
  EXPECT_EQ(utf8_sequence("\xe0\xa0\x80"), 3u);
  EXPECT_EQ(utf8_sequence("\xed\x9f\xbf"), 3u);  // U+D7FF, just below the surrogates
  EXPECT_EQ(utf8_sequence("\xf0\x90\x80\x80"), 4u);
  EXPECT_EQ(utf8_sequence("\xf4\x8f\xbf\xbf"), 4u);  // U+10FFFF
}

TEST(Utf8Sequence, RejectsOverlongSurrogatesBeyondU10FFFFAndTruncated) {
  EXPECT_EQ(utf8_sequence("\xc0\x80"), 0u);          // overlong NUL
  EXPECT_EQ(utf8_sequence("\xc1\xbf"), 0u);          // overlong
  EXPECT_EQ(utf8_sequence("\xe0\x9f\xbf"), 0u);      // overlong 3-byte
  EXPECT_EQ(utf8_sequence("\xed\xa0\x80"), 0u);      // U+D800
  EXPECT_EQ(utf8_sequence("\xf0\x8f\xbf\xbf"), 0u);  // overlong 4-byte
  EXPECT_EQ(utf8_sequence("\xf4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(utf8_sequence("\xf5\x80\x80\x80"), 0u);
  EXPECT_EQ(utf8_sequence("\xe2\x82"), 0u);  // cut short
  EXPECT_EQ(utf8_sequence("\x80"), 0u);
}

TEST(RowFormat, TsvRowsAreTheCorpusShape) {
  EXPECT_EQ(row({}, "a,b", 12), "a,b\t12\n");
  EXPECT_EQ(row({RowFormat::tsv, false, true}, "x", 12, 3), "x\t12\t3\n");
  EXPECT_EQ(row({RowFormat::tsv, true, false}, year_key("kill switch", 2008), 199),
            "kill switch\t2008\t199\n");
}

TEST(RowFormat, CsvRowsEndInCrLfAndHaveAHeader) {
  RowLayout csv{RowFormat::csv, false, false};
  EXPECT_EQ(header_line(csv), "ngram,total\r\n");
  EXPECT_EQ(row(csv, "foo, \"bar\"", 7), "\"foo, \"\"bar\"\"\",7\r\n");
  RowLayout all{RowFormat::csv, true, true};
  EXPECT_EQ(header_line(all), "ngram,year,total,volumes\r\n");
  EXPECT_EQ(row(all, year_key("a", 1500), 9, 4), "a,1500,9,4\r\n");
}

TEST(RowFormat, JsonLinesNameEveryField) {
  RowLayout jsonl{RowFormat::jsonl, false, false};
  EXPECT_EQ(header_line(jsonl), "");
  EXPECT_EQ(row(jsonl, "say \"hi\"", 18446744073709551615ull),
            R"({"ngram":"say \"hi\"","total":18446744073709551615})"
            "\n");
  EXPECT_EQ(row({RowFormat::jsonl, true, true}, year_key("x\xff", 9999), 2, 1),
            R"({"ngram":"x\udcff","year":9999,"total":2,"volumes":1})"
            "\n");
  EXPECT_EQ(header_line({}), "");
}
