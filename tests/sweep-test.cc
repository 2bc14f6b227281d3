#include "ngfreq/sweep.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "test-util.h"

using namespace ngfreq;
using ngfreq::test::TempDir;
using testing::HasSubstr;

TEST(Summarize, GivesMedianMinAndMax) {
  Spread odd = summarize({3, 1, 2});
  EXPECT_EQ(odd.median, 2);
  EXPECT_EQ(odd.min, 1);
  EXPECT_EQ(odd.max, 3);
  EXPECT_EQ(summarize({4, 1, 2, 3}).median, 2.5);
  EXPECT_THROW(summarize({}), Error);
}

TEST(GeometricSizes, StepsByTheFactorUpToTheEnd) {
  EXPECT_EQ(geometric_sizes(64 << 10, 256 << 20, 4),
            (std::vector<i64>{64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20, 256 << 20}));
  EXPECT_EQ(geometric_sizes(1, 10, 3), (std::vector<i64>{1, 3, 9}));
  EXPECT_THROW(geometric_sizes(0, 10, 2), UsageError);
  EXPECT_THROW(geometric_sizes(1, 10, 1), UsageError);
}

TEST(ParseExecutor, KnowsTheNamesAndSaysWhatIsMissing) {
  EXPECT_EQ(parse_executor("thread"), ExecutorKind::thread);
  EXPECT_EQ(parse_executor("serial"), ExecutorKind::serial);
  EXPECT_EQ(executor_name(ExecutorKind::serial), "serial");
  try {
    parse_executor("gpu");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown executor 'gpu'"));
  }
}

TEST(ParseReduce, NamesRoundTripAndUnknownOnesAreUsageErrors) {
  for (ReduceMode m : {ReduceMode::automatic, ReduceMode::partitioned, ReduceMode::tree, ReduceMode::serial})
    EXPECT_EQ(parse_reduce(reduce_name(m)), m);
  EXPECT_EQ(reduce_name(ReduceMode::automatic), "auto");
  try {
    parse_reduce("radix");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown reduce mode 'radix'"));
  }
}

TEST(FormatBytes, UsesTheLargestExactUnit) {
  EXPECT_EQ(format_bytes(64 << 10), "64 KiB");
  EXPECT_EQ(format_bytes(256 << 20), "256 MiB");
  EXPECT_EQ(format_bytes(1000), "1000 B");
  EXPECT_EQ(format_bytes(3072), "3 KiB");
  EXPECT_EQ(format_bytes(1536), "1536 B");
}

TEST(WriteCsv, QuotesOnlyWhatNeedsIt) {
  TempDir dir;
  std::string path = (dir.path() / "t.csv").string();
  write_csv(path, {{"a", "b"}, {{"1", "x,y"}, {"say \"hi\"", "2"}}});
  EXPECT_EQ(ngfreq::test::read_file(path), "a,b\n1,\"x,y\"\n\"say \"\"hi\"\"\",2\n");
}

TEST(MeasurePoints, InterleavesRoundsAndReportsWhatRan) {
  TempDir dir;
  std::string path = (dir.path() / "c.tsv").string();
  std::ofstream(path) << "apple\t2000\t3\t1\nbanana\t2000\t4\t1\n";
  CountOptions opts;
  opts.inputs = {path};
  opts.jobs = 1;
  opts.partition_size = 10;
  std::vector<i64> order;
  CountOptions two = opts;
  two.jobs = 2;
  std::vector<PointResult> rs =
      measure_points({opts, two}, 3, 1, [&](i64 run, i64 point) { order.push_back(run * 10 + point); });
  // One warm-up round and three timed rounds, each over both points.
  EXPECT_EQ(order, (std::vector<i64>{0, 11, 20, 31, 40, 51, 60, 71}));
  ASSERT_EQ(rs.size(), 2);
  EXPECT_EQ(rs[1].jobs, 2);
  const PointResult& r = rs[0];
  EXPECT_EQ(r.repeats, 3);
  EXPECT_EQ(r.jobs, 1);
  EXPECT_EQ(r.partition_size, 10);
  EXPECT_EQ(r.input_bytes, 31);  // two lines of 15 and 16 bytes
  EXPECT_LE(r.wall.min, r.wall.median);
  EXPECT_LE(r.wall.median, r.wall.max);
}
