#include "ngfreq/partition.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;

namespace {

// Concatenates what every partition of the file reads.
std::string read_all_partitions(const std::string& path, i64 size, i64 partition_size,
                                i64* empty_parts = nullptr) {
  int fd = open(path.c_str(), O_RDONLY);
  std::string out;
  for (const Partition& p : plan_partitions(0, size, partition_size)) {
    PartitionReader reader(fd, path, size, p);
    std::string_view piece;
    std::string mine;
    while (reader.next(piece)) mine += piece;
    if (mine.empty() && empty_parts) ++*empty_parts;
    out += mine;
  }
  close(fd);
  return out;
}

}  // namespace

TEST(PartitionPlan, CoversTheFileWithoutGapsOrOverlaps) {
  for (i64 size : {0, 1, 10, 4096, 100001})
    for (i64 psize : {1, 3, 4096, 1 << 20}) {
      std::vector<Partition> parts = plan_partitions(2, size, psize);
      i64 at = 0;
      for (size_t i = 0; i < parts.size(); i++) {
        EXPECT_EQ(parts[i].begin, at);
        EXPECT_EQ(parts[i].index, i64(i));
        EXPECT_EQ(parts[i].file_index, 2);
        EXPECT_GT(parts[i].end, parts[i].begin);
        at = parts[i].end;
      }
      EXPECT_EQ(at, size);
    }
}

TEST(PartitionReader, EveryLineBelongsToExactlyOnePartition) {
  TempDir d;
  std::string text = make_v2_corpus(11, 40);
  text += std::string(5000, 'L') + "\t2000\t1\t1\n";  // a line longer than most partitions
  text += "last\t2000\t1\t1";                         // no final newline
  write_file(d / "t.tsv", text);
  for (i64 psize : {1, 2, 3, 7, 17, 64, 333, 4096, 1 << 20}) {
    i64 empty = 0;
    EXPECT_EQ(read_all_partitions((d / "t.tsv").string(), text.size(), psize, &empty), text)
        << "partition size " << psize;
    if (psize == 1) {
      EXPECT_GT(empty, 0);
    }
  }
}

TEST(PartitionReader, PiecesEndOnLineBoundaries) {
  TempDir d;
  std::string text = make_v2_corpus(12, 12000);  // several pieces long
  ASSERT_GT(i64(text.size()), 3 * PartitionReader::PIECE);
  write_file(d / "t.tsv", text);
  int fd = open((d / "t.tsv").c_str(), O_RDONLY);
  PartitionReader reader(fd, (d / "t.tsv").string(), text.size(), Partition{0, 0, 0, i64(text.size())});
  std::string_view piece;
  int pieces = 0;
  std::string all;
  while (reader.next(piece)) {
    EXPECT_EQ(piece.back(), '\n');
    EXPECT_LE(i64(piece.size()), PartitionReader::PIECE);
    all += piece;
    pieces++;
  }
  close(fd);
  EXPECT_GE(pieces, 3);
  EXPECT_EQ(all, text);
}

// A file that shrinks after the partitions were planned (truncated while
// the count runs) is an error naming where the bytes ran out, never a
// total of fewer bytes than were planned.
TEST(PartitionReader, AFileThatShrankIsAnError) {
  TempDir d;
  std::string text = make_v2_corpus(3, 3000);
  write_file(d / "t.tsv", text);
  i64 planned = text.size() + 5000;           // as if 5000 bytes had been cut off since
  std::string path = (d / "t.tsv").string();  // the reader keeps a reference
  for (i64 begin : {i64(0), i64(text.size()) - 10}) {
    int fd = open(path.c_str(), O_RDONLY);
    PartitionReader reader(fd, path, planned, Partition{0, 0, begin, planned});
    std::string_view piece;
    try {
      while (reader.next(piece)) {
      }
      ADD_FAILURE() << "no error from partition at " << begin;
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(),
                  testing::HasSubstr(": byte " + std::to_string(text.size()) + ": the file shrank"));
      EXPECT_THAT(e.what(), testing::HasSubstr("it had " + std::to_string(planned) + " bytes"));
    }
    close(fd);
  }
}

TEST(PartitionCost, EstimatedLinesFollowTheLineDensity) {
  // 1 MiB of 16-byte lines, then 1 MiB of 64-byte lines: each half's
  // estimate is its line count, and a partition across both lies between.
  TempDir d;
  std::string text;
  while (text.size() < (1 << 20)) text += "short1\t2000\t1\t1\n";
  i64 half = text.size();
  while (i64(text.size()) < 2 * half) text += std::string(54, 'w') + "\t2000\t1\t1\n";
  write_file(d / "t.tsv", text);
  std::string path = (d / "t.tsv").string();
  int fd = open(path.c_str(), O_RDONLY);
  i64 dense = estimated_lines(fd, path, Partition{0, 0, 0, half});
  i64 sparse = estimated_lines(fd, path, Partition{0, 1, half, 2 * half});
  EXPECT_NEAR(dense, half / 16, half / 16 / 100);
  EXPECT_NEAR(sparse, half / 64, half / 64 / 100);
  i64 mixed = estimated_lines(fd, path, Partition{0, 2, half / 2, half + half / 2});
  EXPECT_GT(mixed, sparse);
  EXPECT_LT(mixed, dense);
  // A partition smaller than one sample is counted whole.
  EXPECT_EQ(estimated_lines(fd, path, Partition{0, 3, 0, 160}), 10);
  close(fd);
}

// first_field names the first field of the first line a partition owns:
// in order, each line at most once, and with 1-byte partitions every line
// (each owned by the partition it starts in) but one whose field is longer
// than the peek (4 KiB).
TEST(PartitionPeek, FirstFieldsAreTheOwnedLinesFirstFieldsInOrder) {
  TempDir d;
  std::string text = make_v2_corpus(11, 40);
  std::vector<std::string> fields;
  for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1)
    fields.push_back(text.substr(at, text.find('\t', at) - at));
  text += std::string(5000, 'L') + "\t2000\t1\t1\n" + "last\t2000\t1\t1";  // no final newline
  fields.push_back("last");
  write_file(d / "t.tsv", text);
  std::string path = (d / "t.tsv").string();
  int fd = open(path.c_str(), O_RDONLY);
  for (i64 psize : {1, 2, 3, 7, 17, 64, 333, 4096, 1 << 20}) {
    std::vector<std::string> got;
    for (const Partition& p : plan_partitions(0, text.size(), psize))
      if (std::optional<std::string> f = first_field(fd, path, p)) got.push_back(*f);
    if (psize == 1) {
      EXPECT_EQ(got, fields);
    }
    // Every partition's field is a line's, in order, and the first is the first line's.
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.front(), fields.front());
    size_t next = 0;
    for (const std::string& f : got) {
      while (next < fields.size() && fields[next] != f) next++;
      ASSERT_LT(next, fields.size()) << "partition size " << psize << ": '" << f << "' out of order";
      next++;
    }
  }
  close(fd);
}

TEST(PartitionSize, DefaultGivesEightPartitionsPerJobWithinBounds) {
  EXPECT_EQ(default_partition_size(1000, 2), 1 << 20);
  EXPECT_EQ(default_partition_size(i64(160) << 20, 2), i64(10) << 20);
  EXPECT_EQ(default_partition_size(i64(100) << 30, 2), i64(32) << 20);
}

TEST(PartitionSize, SizesThatDoNotDivideEvenlyMakeNoExtraPartition) {
  for (i64 total : {i64(208876665), i64(160 << 20) + 1, i64(17) << 20}) {
    i64 size = default_partition_size(total, 2);
    EXPECT_EQ(i64(plan_partitions(0, total, size).size()), 16) << total;
  }
}

TEST(PartitionSize, StreamsStopAtSixteenMebibytes) {
  EXPECT_EQ(default_partition_size(i64(100) << 30, 2, true), i64(16) << 20);
  EXPECT_EQ(default_partition_size(i64(160) << 20, 2, true), i64(10) << 20);
  EXPECT_EQ(default_partition_size(1000, 1, true), 1 << 20);
}
