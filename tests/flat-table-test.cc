// The flat table layout: round trips, merges against merge_tables and the
// independent reference, the documented byte layout, and corrupt buffers.
#include "ngfreq/flat-table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "ngfreq/hash.h"
#include "ngfreq/v2-parser.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;
using testing::HasSubstr;

namespace {

FreqTable table_of(const std::string& text) {
  FreqTable t;
  MapOutcome o = map_v2(text, YearFilter{}, t);
  if (o.error) throw std::runtime_error(o.error->reason);
  return t;
}

std::vector<char> flat_of(const FreqTable& t) {
  std::vector<char> buf(flat_size(t));
  EXPECT_EQ(write_flat(t, buf.data()), i64(buf.size()));
  return buf;
}

// The merge of flat tables, as a buffer of exactly its size.
std::vector<char> merged(const std::vector<std::vector<char>>& bufs) {
  std::vector<FlatTable> views;
  for (const std::vector<char>& b : bufs) views.emplace_back(b.data(), b.size());
  std::vector<char> out(merged_flat_bound(views));
  out.resize(merge_flat(views, out.data(), out.size()));
  return out;
}

// Three overlapping pieces of a corpus, cut at line boundaries.
std::vector<std::string> overlapping_pieces(const std::string& corpus) {
  size_t a = corpus.find('\n', corpus.size() / 3) + 1;
  size_t b = corpus.find('\n', 2 * corpus.size() / 3) + 1;
  return {corpus.substr(0, b), corpus.substr(a), corpus.substr(a, b - a)};
}

u64 word(const std::vector<char>& buf, i64 offset) {
  u64 v;
  std::memcpy(&v, buf.data() + offset, 8);
  return v;
}

}  // namespace

TEST(FlatTable, RoundTripKeepsEveryEntry) {
  std::string corpus = make_v2_corpus(3, 400);
  FreqTable t = table_of(corpus);
  std::vector<char> buf = flat_of(t);
  FlatTable view(buf.data(), buf.size());
  EXPECT_EQ(view.entries(), t.size());
  EXPECT_EQ(table_contents(read_flat(view)), reference_count(corpus));
}

// Every shard of a written or merged table is sorted by key.
void expect_sorted(const FlatTable& t) {
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++) {
    std::optional<FlatEntry> prev;
    t.for_each(s, [&](const FlatEntry& e) {
      if (prev) {
        EXPECT_LT(prev->key, e.key);
      }
      prev = e;
    });
  }
}

TEST(FlatTable, ShardsAreSortedByKey) {
  std::string corpus = make_v2_corpus(9, 500);
  size_t half = corpus.find('\n', corpus.size() / 2) + 1;
  size_t quarter = corpus.find('\n', corpus.size() / 4) + 1;
  std::vector<char> a = flat_of(table_of(corpus.substr(0, half)));
  std::vector<char> b = flat_of(table_of(corpus.substr(quarter)));
  expect_sorted(FlatTable(a.data(), a.size()));
  std::vector<char> out = merged({a, b});
  expect_sorted(FlatTable(out.data(), out.size()));
}

TEST(FlatTable, EmptyTableIsJustAHeader) {
  FreqTable t;
  std::vector<char> buf = flat_of(t);
  EXPECT_EQ(i64(buf.size()), FLAT_HEADER_BYTES);
  FlatTable view(buf.data(), buf.size());
  EXPECT_EQ(view.entries(), 0);
  EXPECT_TRUE(read_flat(view).empty());
}

// The layout in flat-table.h, byte for byte, for a one-entry table.
TEST(FlatTable, LayoutIsTheDocumentedOne) {
  FreqTable t;
  u64 h = hash_key("naïve");
  t.add("naïve", h, 7, 3);
  std::vector<char> buf = flat_of(t);
  i64 record = 32 + 8;  // "naïve" is 6 bytes, padded to 8
  ASSERT_EQ(i64(buf.size()), FLAT_HEADER_BYTES + record);
  EXPECT_EQ(std::string(buf.data(), 8), "NGFLAT01");
  EXPECT_EQ(word(buf, 8), buf.size());
  EXPECT_EQ(word(buf, 16), 1u);
  EXPECT_EQ(word(buf, 24), 0u);
  int s = FreqTable::shard_of(h);
  for (int i = 0; i < FreqTable::NUM_SHARDS; i++)
    EXPECT_EQ(word(buf, 32 + 8 * i), u64(i < s ? FLAT_HEADER_BYTES : FLAT_HEADER_BYTES + record))
        << "shard " << i;
  i64 r = FLAT_HEADER_BYTES;
  EXPECT_EQ(word(buf, r), h);
  EXPECT_EQ(word(buf, r + 8), 7u);
  EXPECT_EQ(word(buf, r + 16), 3u);
  EXPECT_EQ(word(buf, r + 24), 6u);
  EXPECT_EQ(std::string(buf.data() + r + 32, 6), "naïve");
  EXPECT_EQ(std::string(buf.data() + r + 38, 2), std::string(2, '\0'));
}

TEST(FlatTable, MergeEqualsTheReferenceOfAllInputs) {
  std::vector<std::string> pieces = overlapping_pieces(make_v2_corpus(11, 600));
  std::vector<std::vector<char>> bufs;
  for (const std::string& p : pieces) bufs.push_back(flat_of(table_of(p)));
  std::vector<char> out = merged(bufs);
  EXPECT_EQ(table_contents(read_flat(FlatTable(out.data(), out.size()))),
            reference_count(pieces[0] + pieces[1] + pieces[2]));
}

// Reading several flat tables at once, into a table that already holds
// entries, sums every key over all of them, serially and in parallel.
TEST(FlatTable, ReadingSeveralIntoATableSumsThemAll) {
  std::vector<std::string> pieces = overlapping_pieces(make_v2_corpus(12, 600));
  std::vector<std::vector<char>> bufs;
  for (size_t i = 1; i < pieces.size(); i++) bufs.push_back(flat_of(table_of(pieces[i])));
  std::vector<FlatTable> views;
  for (const std::vector<char>& buf : bufs) views.emplace_back(buf.data(), buf.size());
  for (bool parallel : {false, true}) {
    FreqTable dest = table_of(pieces[0]);
    read_flat_into(dest, views, parallel);
    EXPECT_EQ(table_contents(dest), reference_count(pieces[0] + pieces[1] + pieces[2])) << parallel;
  }
}

// Eight consecutive pieces of a sorted corpus (long disjoint runs, as the
// partitions of a Google file are) and the same corpus with its lines
// reversed (shards not sorted on insert, keys everywhere in the others).
TEST(FlatTable, MergeOfSortedRunsAndAnUnsortedTableEqualsTheReference) {
  std::string corpus = make_v2_corpus(13, 2000);
  std::vector<std::vector<char>> bufs;
  size_t start = 0;
  for (int i = 1; i <= 8; i++) {
    size_t end = i == 8 ? corpus.size() : corpus.find('\n', corpus.size() * i / 8) + 1;
    bufs.push_back(flat_of(table_of(corpus.substr(start, end - start))));
    start = end;
  }
  std::vector<std::string> lines;
  for (size_t p = 0, nl; p < corpus.size(); p = nl + 1) {
    nl = corpus.find('\n', p);
    lines.push_back(corpus.substr(p, nl + 1 - p));
  }
  std::string reversed;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it;
  bufs.push_back(flat_of(table_of(reversed)));
  for (const std::vector<char>& b : bufs) expect_sorted(FlatTable(b.data(), b.size()));
  std::vector<char> out = merged(bufs);
  expect_sorted(FlatTable(out.data(), out.size()));
  EXPECT_EQ(table_contents(read_flat(FlatTable(out.data(), out.size()))), reference_count(corpus + corpus));
}

TEST(FlatTable, MergeOfDisjointShardsCopiesThemWhole) {
  FreqTable x, y;
  x.add("alpha", hash_key("alpha"), 1, 1);
  y.add("omega", hash_key("omega"), 2, 2);
  std::vector<char> out = merged({flat_of(x), flat_of(y)});
  Reference want = {{"alpha", {1, 1}}, {"omega", {2, 2}}};
  EXPECT_EQ(table_contents(read_flat(FlatTable(out.data(), out.size()))), want);
}

TEST(FlatTable, SaturatedTotalsStayOverflowedThroughAMerge) {
  FreqTable x, y;
  x.add("big", hash_key("big"), COUNT_OVERFLOW - 1, 1);
  y.add("big", hash_key("big"), 5, 1);
  std::vector<char> out = merged({flat_of(x), flat_of(y)});
  FlatTable view(out.data(), out.size());
  EXPECT_TRUE(view.overflowed());
  EXPECT_TRUE(read_flat(view).overflowed());
}

TEST(FlatTable, CorruptBuffersThrowInsteadOfReadingOutOfBounds) {
  FreqTable t = table_of(make_v2_corpus(5, 50));
  std::vector<char> buf = flat_of(t);
  try {
    FlatTable(buf.data(), buf.size() - 8);
    FAIL() << "a truncated buffer was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("flat table: header says"));
  }
  std::vector<char> bad = buf;
  bad[0] = 'X';
  EXPECT_THROW(FlatTable(bad.data(), bad.size()), Error);
  bad = buf;
  u64 huge = buf.size() + 8;
  std::memcpy(bad.data() + 32 + 8 * 10, &huge, 8);
  EXPECT_THROW(FlatTable(bad.data(), bad.size()), Error);
  bad = buf;
  std::memcpy(bad.data() + FLAT_HEADER_BYTES + 24, &huge,
              8);  // the first record's key length
  EXPECT_THROW(read_flat(FlatTable(bad.data(), bad.size())), Error);
}
