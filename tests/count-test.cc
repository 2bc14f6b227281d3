// End-to-end counts through the library, checked against the independent
// reference in test-util.h: the parallel-equivalence sweep, gzip, streams,
// directories, year filters, and deterministic error reports.
#include "ngfreq/count.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "ngfreq/count-answer.h"
#include "ngfreq/hash.h"
#include "ngfreq/output-file.h"
#include "test-util.h"

using namespace ngfreq;
using namespace ngfreq::test;
using testing::HasSubstr;

namespace {

CountOptions options(std::vector<std::string> inputs) {
  CountOptions o;
  o.inputs = std::move(inputs);
  o.progress = ProgressMode::none;
  return o;
}

std::string error_of(const CountOptions& o) {
  try {
    CountResult r = run_count(o);
    totals_contents(r.totals);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class CountSweep : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    corpus_ = new std::string(make_v2_corpus(7, 150));
    write_file(*dir_ / "corpus.tsv", *corpus_);
    reference_ = new Reference(reference_count(*corpus_));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete corpus_;
    delete reference_;
  }
  static TempDir* dir_;
  static std::string* corpus_;
  static Reference* reference_;
};
TempDir* CountSweep::dir_;
std::string* CountSweep::corpus_;
Reference* CountSweep::reference_;

}  // namespace

// Every partition size down to one byte, every job count, executor and
// reduce mode gives exactly the reference totals.
TEST_F(CountSweep, EverySettingGivesTheReferenceTotals) {
  ASSERT_GT(corpus_->size(), 20000u);
  for (i64 size : {1, 2, 7, 64, 4096, 0})
    for (ExecutorKind ex : {ExecutorKind::serial, ExecutorKind::thread, ExecutorKind::process})
      for (ReduceMode reduce : {ReduceMode::automatic, ReduceMode::partitioned, ReduceMode::ordered,
                                ReduceMode::tree, ReduceMode::serial})
        for (int jobs : {1, 2, 4})
          // 1 byte: every flush spills, every partition is cut down to the
          // last sub-partition level.
          for (i64 memory_limit : {i64(0), i64(1)}) {
            if (ex == ExecutorKind::serial && jobs != 1) continue;
            if (ex == ExecutorKind::process && reduce == ReduceMode::ordered) continue;
            if (reduce == ReduceMode::ordered && memory_limit > 0) continue;
            bool partitioned = reduce == ReduceMode::automatic || reduce == ReduceMode::partitioned;
            if (memory_limit > 0 && !partitioned) continue;
            SCOPED_TRACE(testing::Message()
                         << "partition " << size << " jobs " << jobs << " executor " << int(ex) << " reduce "
                         << int(reduce) << " memory limit " << memory_limit);
            CountOptions o = options({(*dir_ / "corpus.tsv").string()});
            o.partition_size = size;
            o.executor = ex;
            o.reduce = reduce;
            o.jobs = jobs;
            o.memory_limit = memory_limit;
            CountResult r = run_count(o);
            // Partitioned totals are summed a partition at a time as they
            // are read, unless a sorted listing needs them whole (below).
            EXPECT_EQ(r.totals.in_memory(),
                      memory_limit == 0 && (reduce == ReduceMode::tree || reduce == ReduceMode::serial));
            EXPECT_EQ(totals_contents(r.totals), *reference_);
            EXPECT_EQ(r.stats.input_bytes, i64(corpus_->size()));
          }
}

TEST_F(CountSweep, OnlyASortedListingBuildsTheTableOfEveryKey) {
  for (bool will_sort : {false, true})
    for (int jobs : {1, 2}) {
      CountOptions o = options({(*dir_ / "corpus.tsv").string()});
      o.partition_size = 512;
      o.reduce = ReduceMode::partitioned;
      o.will_sort = will_sort;
      o.jobs = jobs;
      CountResult r = run_count(o);
      EXPECT_EQ(r.totals.in_memory(), will_sort) << "jobs " << jobs;
      EXPECT_EQ(totals_contents(r.totals), *reference_) << "sorted " << will_sort << ", jobs " << jobs;
      if (!will_sort) {
        FinalizeStats st = r.totals.stats();
        std::set<int> with_keys;  // the partitions that have some key: each summed once
        for (const auto& [key, totals] : *reference_) with_keys.insert(FreqTable::shard_of(hash_key(key)));
        EXPECT_EQ(st.partitions_summed, i64(with_keys.size()));
        EXPECT_GT(st.summing_seconds, 0);
      }
    }
}

TEST_F(CountSweep, FanInDoesNotChangeTotals) {
  for (int fan_in : {2, 3, 8}) {
    CountOptions o = options({(*dir_ / "corpus.tsv").string()});
    o.partition_size = 512;
    o.fan_in = fan_in;
    EXPECT_EQ(totals_contents(run_count(o).totals), *reference_) << "fan-in " << fan_in;
  }
}

TEST_F(CountSweep, GzipGivesTheSameTotalsWithEveryInflater) {
  write_file(*dir_ / "corpus.gz", gzip(*corpus_));
  for (Inflater inf : {Inflater::automatic, Inflater::zlib})
    for (i64 size : {7, 4096, 0}) {
      CountOptions o = options({(*dir_ / "corpus.gz").string()});
      o.inflater = inf;
      o.partition_size = size;
      EXPECT_EQ(totals_contents(run_count(o).totals), *reference_) << "partition " << size;
    }
}

TEST_F(CountSweep, StatsTimeTheReadingOfStreamsAndItsIdleTime) {
  write_file(*dir_ / "corpus.gz", gzip(*corpus_));
  for (ExecutorKind ex : {ExecutorKind::serial, ExecutorKind::thread, ExecutorKind::process}) {
    CountOptions o = options({(*dir_ / "corpus.gz").string()});
    o.executor = ex;
    o.jobs = 2;
    o.partition_size = 4096;
    CountStats gz = run_count(o).stats;
    SCOPED_TRACE(testing::Message() << "executor " << int(ex));
    // The stream was read for some time, and its reader cannot have been
    // idle longer than that, nor busy longer than it read in all.
    EXPECT_GT(gz.stream_seconds, 0);
    EXPECT_GE(gz.stream_idle_seconds, 0);
    EXPECT_LE(gz.stream_idle_seconds, gz.stream_seconds);
    EXPECT_LE(gz.stream_seconds - gz.stream_idle_seconds, gz.read_busy_seconds + 1e-6);
    o.inputs = {(*dir_ / "corpus.tsv").string()};  // a plain file is no stream
    CountStats plain = run_count(o).stats;
    EXPECT_EQ(plain.stream_seconds, 0);
    EXPECT_EQ(plain.stream_idle_seconds, 0);
  }
}

TEST_F(CountSweep, MultiMemberGzipIsReadToTheEnd) {
  // Cut the corpus at a line boundary near the middle; gzip the halves apart.
  size_t cut = corpus_->find('\n', corpus_->size() / 2) + 1;
  write_file(*dir_ / "two.gz", gzip(corpus_->substr(0, cut)) + gzip(corpus_->substr(cut), 1));
  for (Inflater inf : {Inflater::automatic, Inflater::zlib}) {
    CountOptions o = options({(*dir_ / "two.gz").string()});
    o.inflater = inf;
    EXPECT_EQ(totals_contents(run_count(o).totals), *reference_);
  }
}

TEST_F(CountSweep, DirectoryIsReadInNameOrderAndMixesPlainAndGzip) {
  TempDir d;
  size_t cut = corpus_->find('\n', corpus_->size() / 3) + 1;
  write_file(d / "part-1.tsv", corpus_->substr(0, cut));
  write_file(d / "part-2.gz", gzip(corpus_->substr(cut)));
  std::filesystem::create_directory(d / "subdir-is-ignored");
  write_file(d / "subdir-is-ignored" / "x.tsv", "zzz\t2000\t1\t1\n");
  CountOptions o = options({d.path().string()});
  o.partition_size = 1000;
  EXPECT_EQ(totals_contents(run_count(o).totals), *reference_);
}

TEST_F(CountSweep, YearFiltersAreInclusive) {
  CountOptions o = options({(*dir_ / "corpus.tsv").string()});
  o.years.since = 1600;
  o.years.until = 1700;
  o.partition_size = 300;
  EXPECT_EQ(totals_contents(run_count(o).totals), reference_count(*corpus_, 1600, 1700));
}

// More distinct keys than a combining table holds (16 K), so every thread's
// table flushes into its partition runs many times, and each partition
// takes the finalize's sorted path.
TEST(HighCardinality, PartitionedReduceFlushesAndMatchesTheReference) {
  TempDir d;
  std::string corpus = make_v2_corpus(11, 40000);
  write_file(d / "wide.tsv", corpus);
  Reference want = reference_count(corpus);
  ASSERT_GT(want.size(), 35000u);
  for (ExecutorKind ex : {ExecutorKind::serial, ExecutorKind::thread}) {
    CountOptions o = options({(d / "wide.tsv").string()});
    o.executor = ex;
    o.reduce = ReduceMode::partitioned;
    o.partition_size = 100000;
    o.jobs = 2;
    EXPECT_EQ(totals_contents(run_count(o).totals), want) << "executor " << int(ex);
  }
}

// The listing -o writes, through the answer's one pass.
std::string sorted_listing(Totals& totals, const TempDir& d) {
  {
    OutputFile out((d / "listing.tsv").string());
    SortedOutput sorted{out, RowLayout{}};
    answer(totals, AnswerRequest{}, 2, &sorted);
    out.commit();
  }
  return read_file(d / "listing.tsv");
}

std::string listing_of(const Reference& ref) {
  std::string out;
  for (const auto& [key, t] : ref) out += key + "\t" + std::to_string(t.count) + "\n";
  return out;
}

// The lines of `text`, each with its newline.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at) + 1;
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  return lines;
}

// The ordered reduce on what it is made for (a sorted file), on a file out
// of order, and on files whose key ranges overlap: each gives the reference,
// as totals and as the sorted listing.
TEST(OrderedReduce, SortedUnsortedAndOverlappingInputsGiveTheReference) {
  TempDir d;
  std::string corpus = make_v2_corpus(5, 300);
  write_file(d / "sorted.tsv", corpus);
  // The same lines reversed: every partition's keys come out of order.
  std::vector<std::string> lines = lines_of(corpus);
  std::string reversed;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it;
  write_file(d / "reversed.tsv", reversed);
  Reference once = reference_count(corpus), twice = reference_count(corpus + corpus);
  for (auto [files, want] : {std::pair{std::vector<std::string>{"sorted.tsv"}, once},
                             std::pair{std::vector<std::string>{"reversed.tsv"}, once},
                             std::pair{std::vector<std::string>{"sorted.tsv", "reversed.tsv"}, twice}})
    for (i64 size : {i64(0), i64(4096), i64(7)})
      for (ExecutorKind ex : {ExecutorKind::serial, ExecutorKind::thread})
        // 1 byte: every run is spilled once sorted, and read back by range.
        for (i64 memory_limit : {i64(0), i64(1)}) {
          SCOPED_TRACE(testing::Message() << files.size() << " files, " << files[0] << ", partition " << size
                                          << ", executor " << int(ex) << ", memory limit " << memory_limit);
          std::vector<std::string> paths;
          for (const std::string& f : files) paths.push_back((d / f).string());
          CountOptions o = options(paths);
          o.reduce = ReduceMode::ordered;
          o.executor = ex;
          o.partition_size = size;
          o.jobs = 2;
          o.memory_limit = memory_limit;
          o.temp_dir = d.path().string();
          EXPECT_EQ(totals_contents(run_count(o).totals), want);
          CountResult r = run_count(o);
          ASSERT_NE(r.totals.ordered_runs(), nullptr);
          EXPECT_EQ(r.totals.stats().spills > 0, memory_limit > 0);
          EXPECT_EQ(sorted_listing(r.totals, d), listing_of(want));
        }
}

std::string rows_text(const std::vector<Row>& rows) {
  std::string out;
  for (const Row& r : rows)
    out += r.key + "\t" + std::to_string(r.count) + "\t" + std::to_string(r.volumes) + "\n";
  return out;
}

// Everything an answer holds, as text: the sorted listing written to
// `path` after `header`, the words' rows, the top K and the summary.
std::string answer_text(Totals& totals, const AnswerRequest& request, const std::string& path,
                        OutputFile& out) {
  SortedOutput sorted{out, RowLayout{}};
  CountAnswer a = answer(totals, request, 2, &sorted);
  out.commit();
  std::string text = read_file(path) + "--\n";
  for (const std::vector<Row>& rows : a.words) text += rows_text(rows);
  return text + "--\n" + rows_text(a.top) + std::to_string(a.distinct) + " " + u128_string(a.total);
}

// A sorted file's rows written while it is mapped (ordered-stream.h) make
// the same answer as the ordered runs kept to the end: on a sorted file
// (streamed, keys straddling partitions down to a line each), on the same
// lines reversed (not streamed: the partitions' first lines go backwards)
// and on a sorted file whose smallest line was moved to its end (the
// stream breaks at the last partition, takes back its rows and counts
// again).
TEST(OrderedStream, GivesTheAnswerOfTheOrderedRunsOrCountsAgain) {
  TempDir d;
  std::string corpus = make_v2_corpus(5, 300);
  std::vector<std::string> lines = lines_of(corpus);
  std::string reversed, late;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it;
  for (size_t i = 1; i < lines.size(); i++) late += lines[i];
  late += lines[0];
  write_file(d / "sorted.tsv", corpus);
  write_file(d / "reversed.tsv", reversed);
  write_file(d / "late.tsv", late);
  std::string word = lines[lines.size() / 2].substr(0, lines[lines.size() / 2].find('\t'));
  for (std::string file : {"sorted.tsv", "reversed.tsv", "late.tsv"})
    for (i64 size : {i64(0), i64(4096), i64(7)})
      for (ExecutorKind ex : {ExecutorKind::serial, ExecutorKind::thread})
        for (bool by_year : {false, true}) {
          SCOPED_TRACE(testing::Message() << file << ", partition " << size << ", executor " << int(ex)
                                          << ", by year " << by_year);
          CountOptions o = options({(d / file).string()});
          o.reduce = ReduceMode::ordered;
          o.executor = ex;
          o.partition_size = size;
          o.jobs = 2;
          o.keys.by_year = by_year;
          o.will_sort = true;
          AnswerRequest request{{word, "no such n-gram"}, by_year, 5, 3, true};
          std::string want;
          {
            OutputFile out((d / "kept.tsv").string());
            out.write("header\n");
            CountResult kept = run_count(o);
            ASSERT_NE(kept.totals.ordered_runs(), nullptr);
            want = answer_text(kept.totals, request, (d / "kept.tsv").string(), out);
          }
          OutputFile out((d / "streamed.tsv").string());
          out.write("header\n");
          SortedOutput sorted{out, RowLayout{}};
          StreamTarget target{request, sorted};
          CountResult streamed = run_count(o, &target);
          // One partition (size 0) is one run, sorted whatever its order.
          // Partitions whose first lines go backwards are not streamed; the
          // smallest line at the end of the last 4 KiB partition is seen
          // only once it is mapped.
          OrderedStreaming expected = OrderedStreaming::no;
          if (file == "sorted.tsv" || size == 0) expected = OrderedStreaming::yes;
          if (file == "late.tsv" && size == 4096) expected = OrderedStreaming::broken;
          EXPECT_EQ(streamed.stats.streaming, expected);
          EXPECT_EQ(answer_text(streamed.totals, request, (d / "streamed.tsv").string(), out), want);
        }
}

TEST(OrderedReduce, AutoChoosesItForASortedListingOfGoogleFormatsOnly) {
  TempDir d;
  write_file(d / "a.tsv", make_v2_corpus(2, 200));
  write_file(d / "t.txt", "the cat sat\non the mat\n");
  auto chosen = [&](std::string file, auto tweak) {
    CountOptions o = options({(d / file).string()});
    o.will_sort = true;
    tweak(o);
    return run_count(o).totals.ordered_runs() != nullptr;
  };
  EXPECT_TRUE(chosen("a.tsv", [](CountOptions&) {}));
  EXPECT_FALSE(chosen("a.tsv", [](CountOptions& o) { o.will_sort = false; }));
  EXPECT_FALSE(chosen("a.tsv", [](CountOptions& o) { o.keys.ignore_case = true; }));
  EXPECT_FALSE(chosen("a.tsv", [](CountOptions& o) { o.executor = ExecutorKind::process; }));
  EXPECT_FALSE(chosen("t.txt", [](CountOptions&) {}));
}

TEST(Count, EmptyFileGivesNoTotals) {
  TempDir d;
  write_file(d / "empty.tsv", "");
  CountResult r = run_count(options({(d / "empty.tsv").string()}));
  EXPECT_TRUE(totals_contents(r.totals).empty());
  EXPECT_EQ(r.stats.lines, 0);
}

TEST(Count, CrLfAndMissingFinalNewlineAreAccepted) {
  TempDir d;
  write_file(d / "crlf.tsv", "a\t2000\t5\t1\r\na\t2001\t6\t2\r\nb\t1999\t3\t1");
  CountResult r = run_count(options({(d / "crlf.tsv").string()}));
  Reference want{{"a", {11, 3}}, {"b", {3, 1}}};
  EXPECT_EQ(totals_contents(r.totals), want);
}

TEST(Count, LinesLongerThanThePartitionAreCountedOnce) {
  TempDir d;
  std::string long_key(300000, 'q');
  std::string text =
      "a\t2000\t1\t1\n" + long_key + "\t2000\t5\t1\n" + long_key + "\t2001\t5\t1\nb\t2000\t2\t1\n";
  write_file(d / "long.tsv", text);
  for (i64 size : {1, 100, 4096, 0}) {
    CountOptions o = options({(d / "long.tsv").string()});
    o.partition_size = size;
    EXPECT_EQ(totals_contents(run_count(o).totals), reference_count(text)) << "partition " << size;
  }
}

// The earliest bad line wins whatever the schedule, with its true line number.
TEST(Count, EarliestErrorIsReportedWithTheSameLineEverywhere) {
  TempDir d;
  std::string text = make_v2_corpus(3, 80);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_GT(lines.size(), 400u);
  lines[300] = "broken\t2000\t5";     // line 301: three fields
  lines[350] = "broken\t20x0\t5\t1";  // line 351: a later error
  std::string bad;
  for (auto& l : lines) bad += l + '\n';
  write_file(d / "bad.tsv", bad);
  write_file(d / "bad.gz", gzip(bad));
  for (const char* name : {"bad.tsv", "bad.gz"})
    for (i64 size : {1, 7, 64, 4096, 0})
      for (int jobs : {1, 2, 4})
        for (ExecutorKind ex : {ExecutorKind::thread, ExecutorKind::process}) {
          CountOptions o = options({(d / name).string()});
          o.partition_size = size;
          o.jobs = jobs;
          o.executor = ex;
          EXPECT_EQ(error_of(o), (d / name).string() + ":301: expected 4 tab-separated fields, got 3")
              << name << " partition " << size << " jobs " << jobs << " executor " << int(ex);
        }
}

TEST(Count, ErrorInSecondFileCountsLinesOfThatFileOnly) {
  TempDir d;
  write_file(d / "a.tsv", "a\t2000\t1\t1\na\t2001\t1\t1\n");
  write_file(d / "b.tsv", "b\t2000\t1\t1\nb\t2000\tx\t1\n");
  EXPECT_EQ(error_of(options({(d / "a.tsv").string(), (d / "b.tsv").string()})),
            (d / "b.tsv").string() + ":2: match_count 'x' is not a non-negative integer");
}

TEST(Count, TotalsThatOverflowAreAnErrorNotAWrap) {
  TempDir d;
  write_file(d / "big.tsv", "a\t2000\t18446744073709551000\t1\nb\t2000\t1\t1\n");
  write_file(d / "big2.tsv", "a\t2001\t1000\t1\n");
  CountOptions o = options({(d / "big.tsv").string(), (d / "big2.tsv").string()});
  EXPECT_THAT(error_of(o), HasSubstr("total match_count of 'a' overflows 64 bits"));
  for (ReduceMode reduce : {ReduceMode::ordered, ReduceMode::tree}) {
    o.reduce = reduce;
    EXPECT_THAT(error_of(o), HasSubstr("total match_count of 'a' overflows 64 bits")) << int(reduce);
  }
  // The ordered reduce's listing sums as it merges: it reports the same.
  o.reduce = ReduceMode::ordered;
  CountResult r = run_count(o);
  try {
    sorted_listing(r.totals, d);
    FAIL() << "expected an overflow";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("total match_count of 'a' overflows 64 bits"));
  }
}

TEST(Count, CorruptGzipNamesTheByteOffset) {
  TempDir d;
  std::string gz = gzip(make_v2_corpus(5, 100));
  write_file(d / "truncated.gz", gz.substr(0, gz.size() / 2));
  EXPECT_THAT(error_of(options({(d / "truncated.gz").string()})), HasSubstr("truncated gzip data"));
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x55;  // inside the CRC32 of the trailer
  write_file(d / "crc.gz", bad_crc);
  for (Inflater inf : {Inflater::automatic, Inflater::zlib}) {
    CountOptions o = options({(d / "crc.gz").string()});
    o.inflater = inf;
    EXPECT_THAT(error_of(o), HasSubstr("crc.gz: byte "));
    EXPECT_THAT(error_of(o), HasSubstr("CRC mismatch"));
  }
}

TEST(Count, MissingFileIsAnError) {
  EXPECT_EQ(error_of(options({"/nonexistent/file.tsv"})),
            "cannot open '/nonexistent/file.tsv': No such file or directory");
}

// Golden totals on the genuine Google Books v2 excerpts.
TEST(RealData, HeadsMatchTheReferenceForSeveralPartitionSizes) {
  std::string dir = real_heads_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/datasets/real/v2/1gram-heads is absent";
  std::string all;
  std::vector<std::string> files;
  for (auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  for (auto& f : files) all += read_file(f);
  Reference want = reference_count(all);
  for (i64 size : {4096, 100000, 0}) {
    CountOptions o = options({dir});
    o.partition_size = size;
    EXPECT_EQ(totals_contents(run_count(o).totals), want) << "partition " << size;
  }
}

TEST(RealData, FirstNgramOfTheAFileHasItsHandSummedTotal) {
  std::string dir = real_heads_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/datasets/real/v2/1gram-heads is absent";
  CountOptions o = options({dir + "/googlebooks-eng-all-1gram-20120701-a.head10000.tsv"});
  o.partition_size = 64;
  CountResult r = run_count(o);
  // The 16 lines of A'Aang_NOUN: 45+5+1+1+20+3+5+2+1+45+6+5+6+4+1+3.
  Reference totals = totals_contents(r.totals);
  ASSERT_EQ(totals.count("A'Aang_NOUN"), 1u);
  EXPECT_EQ(totals["A'Aang_NOUN"].count, 153u);
  EXPECT_EQ(r.stats.lines, 10000);
}
