// The process executor end to end, through the ngfreq binary: output
// byte-identical to the thread executor, crashed and killed workers retried,
// clean failure when retries run out, SIGINT/SIGTERM, and after every run no
// worker process, no /dev/shm entry and no temporary file left behind.
//
// Expected totals come from the independent reference in test-util.h.
// The only timing assertion is the signal test's: the requirement is an exit
// within a second, the test allows 5 s so that a loaded machine does not
// make it flaky.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "test-util.h"

extern char** environ;

using namespace ngfreq;
using namespace ngfreq::test;
using testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

struct CliRun {
  int status = -1;  // as waitpid gives it
  std::string out;
  std::string err;
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

// Starts ngfreq with `args` and extra environment entries ("NAME=value"),
// its standard output and error going to files in `dir`.
pid_t start(const TempDir& dir, const std::vector<std::string>& args,
            const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv_s = {NGFREQ_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = env;
  env_s.push_back("TMPDIR=" + (dir / "tmp").string());
  for (char** e = environ; *e; e++)
    if (std::strncmp(*e, "TMPDIR=", 7) != 0 && std::strncmp(*e, "NGFREQ_FAULT=", 13) != 0)
      env_s.push_back(*e);
  std::vector<char*> envp;
  for (std::string& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  fs::create_directories(dir / "tmp");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, (dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, (dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  return pid;
}

CliRun finish(const TempDir& dir, pid_t pid) {
  CliRun r;
  while (waitpid(pid, &r.status, 0) < 0 && errno == EINTR) {
  }
  r.out = read_file(dir / "stdout");
  r.err = read_file(dir / "stderr");
  return r;
}

CliRun run(const TempDir& dir, const std::vector<std::string>& args,
           const std::vector<std::string>& env = {}) {
  return finish(dir, start(dir, args, env));
}

// Calls f(pid, /proc/PID) for every process.
template <class F> void for_each_process(F f) {
  for (const fs::directory_entry& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") == std::string::npos) f(pid_t(std::stoi(name)), e.path());
  }
}

// Processes whose command line mentions `text`: a worker is a fork of
// ngfreq, so it shows the parent's arguments, which name a file in the
// test's private directory.
std::vector<pid_t> processes_mentioning(const std::string& text) {
  std::vector<pid_t> found;
  for_each_process([&](pid_t pid, const fs::path& dir) {
    std::string cmdline = read_file(dir / "cmdline");
    for (char& c : cmdline)
      if (c == '\0') c = ' ';
    if (cmdline.find(text) != std::string::npos) found.push_back(pid);
  });
  return found;
}

// Live children of `parent`, from /proc/PID/stat.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> found;
  for_each_process([&](pid_t pid, const fs::path& dir) {
    std::string stat = read_file(dir / "stat");
    size_t close = stat.rfind(')');
    if (close == std::string::npos) return;
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && state != "Z") found.push_back(pid);
  });
  return found;
}

std::vector<std::string> shm_entries() {
  std::vector<std::string> names;
  if (fs::is_directory("/dev/shm"))
    for (const fs::directory_entry& e : fs::directory_iterator("/dev/shm"))
      if (e.path().filename().string().find("ngfreq") != std::string::npos) names.push_back(e.path());
  return names;
}

// Nothing of a finished run may remain: no process, no shared-memory or
// temporary file. `grace` allows for SIGKILLed workers still being torn down
// by the kernel after their parent was killed.
void expect_nothing_left(const TempDir& dir, std::chrono::milliseconds grace = std::chrono::milliseconds(0)) {
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!processes_mentioning(dir.path().string()).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_THAT(processes_mentioning(dir.path().string()), testing::IsEmpty()) << "worker processes left";
  EXPECT_THAT(shm_entries(), testing::IsEmpty());
  EXPECT_TRUE(fs::is_empty(dir / "tmp")) << "temporary files left";
  for (const fs::directory_entry& e : fs::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().find(".ngfreq-"), std::string::npos) << e.path();
}

// The -o listing the reference implies: every n-gram, tab, total, sorted by
// bytes.
std::string reference_listing(const Reference& ref) {
  std::string out;
  for (const auto& [key, t] : ref) out += key + '\t' + std::to_string(t.count) + '\n';
  return out;
}

// Waits until `pid` has `n` live children (the workers are up).
bool wait_for_workers(pid_t pid, size_t n) {
  for (int i = 0; i < 500; i++) {
    if (children_of(pid).size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class ProcessExecutor : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new std::string(make_v2_corpus(21, 300));
    expected_ = new std::string(reference_listing(reference_count(*corpus_)));
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete expected_;
  }
  void SetUp() override { write_file(dir_ / "corpus.tsv", *corpus_); }
  std::string corpus_path() const { return (dir_ / "corpus.tsv").string(); }
  std::string out_path() const { return (dir_ / "out.tsv").string(); }
  // "count -e process -j JOBS -p 4096 [MORE...] -o out.tsv corpus.tsv"
  std::vector<std::string> process_args(const std::string& jobs, std::vector<std::string> more = {}) const {
    std::vector<std::string> a = {"count", "-e", "process", "-j", jobs, "-p", "4096"};
    a.insert(a.end(), more.begin(), more.end());
    a.insert(a.end(), {"-o", out_path(), corpus_path()});
    return a;
  }
  // Starts a run with two workers whose task 2 hangs, and returns once
  // both workers are up and the hang has most likely begun.
  pid_t start_hung_run() {
    pid_t pid = start(dir_, process_args("2"), {"NGFREQ_FAULT=hang-task:2"});
    EXPECT_TRUE(wait_for_workers(pid, 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return pid;
  }
  // A run that must succeed with the reference listing and leave nothing.
  void expect_right_answer(const CliRun& r) {
    ASSERT_EQ(r.exit_code(), 0) << r.err;
    EXPECT_EQ(read_file(out_path()), *expected_);
    expect_nothing_left(dir_);
  }

  TempDir dir_;
  static std::string* corpus_;
  static std::string* expected_;
};
std::string* ProcessExecutor::corpus_;
std::string* ProcessExecutor::expected_;

}  // namespace

TEST_F(ProcessExecutor, OutputIsByteIdenticalToTheThreadExecutor) {
  ASSERT_GT(corpus_->size(), 50000u);
  write_file(dir_ / "corpus.gz", gzip(*corpus_));
  for (std::string input : {corpus_path(), (dir_ / "corpus.gz").string()})
    for (std::string size : {"1", "7", "64", "4096", "1M"}) {
      // A gzip chunk holds whole lines, so below a line's length every size
      // cuts the same chunks: one size that small is enough (and a chunk a
      // line is slow under the sanitizers).
      if (input.ends_with(".gz") && (size == "1" || size == "7")) continue;
      CliRun thread = run(dir_, {"count", "-e", "thread", "-p", size, "-o", out_path(), input});
      ASSERT_EQ(thread.exit_code(), 0) << thread.err;
      std::string want = read_file(out_path());
      ASSERT_EQ(want, *expected_);
      for (std::string jobs : {"1", "2", "4"})
        for (std::string reduce : {"partitioned", "tree", "serial"}) {
          SCOPED_TRACE(input + " -p " + size + " -j " + jobs + " --reduce " + reduce);
          fs::remove(out_path());
          CliRun r = run(dir_, {"count", "-e", "process", "-j", jobs, "-p", size, "--reduce", reduce, "-o",
                                out_path(), input});
          EXPECT_EQ(r.exit_code(), 0) << r.err;
          EXPECT_EQ(read_file(out_path()), want);
          expect_nothing_left(dir_);
        }
    }
}

// A gzip line longer than a chunk's buffer makes the parent grow that
// buffer, which lives in shared memory, mid-chunk.
TEST_F(ProcessExecutor, GzipLineLongerThanAChunkIsCountedWhole) {
  std::string corpus = *corpus_ + std::string(100000, 'x') + "\t1999\t7\t1\n" + *corpus_;
  write_file(dir_ / "long.gz", gzip(corpus));
  for (std::string jobs : {"1", "2"}) {
    SCOPED_TRACE("-j " + jobs);
    CliRun r = run(dir_, {"count", "-e", "process", "-j", jobs, "-p", "4096", "-o", out_path(),
                          (dir_ / "long.gz").string()});
    ASSERT_EQ(r.exit_code(), 0) << r.err;
    EXPECT_EQ(read_file(out_path()), reference_listing(reference_count(corpus)));
    expect_nothing_left(dir_);
  }
}

TEST_F(ProcessExecutor, StatsShowEachWorker) {
  CliRun r = run(dir_, {"count", "-e", "process", "-j", "2", "-p", "4096", "--stats", corpus_path()});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("worker 0 "));
  EXPECT_THAT(r.err, HasSubstr("worker 1 "));
  EXPECT_THAT(r.err, HasSubstr("MB mapped"));
  EXPECT_THAT(r.err, HasSubstr("s busy"));
}

TEST_F(ProcessExecutor, CrashedMapIsRetriedAndTheAnswerIsRight) {
  CliRun r = run(dir_, process_args("2", {"--stats"}), {"NGFREQ_FAULT=crash-task:3"});
  expect_right_answer(r);
  EXPECT_THAT(r.err, HasSubstr("1 restart"));
}

// With one worker and fan-in 2, task 3 is the merge of the first two maps.
TEST_F(ProcessExecutor, CrashedMergeIsRetriedAndTheAnswerIsRight) {
  CliRun r = run(dir_, process_args("1", {"--fan-in", "2", "--stats"}), {"NGFREQ_FAULT=crash-task:3"});
  expect_right_answer(r);
  EXPECT_THAT(r.err, HasSubstr("1 restart"));
}

TEST_F(ProcessExecutor, WithoutRetriesACrashFailsNamingTheTaskAndSignal) {
  CliRun map = run(dir_, process_args("2", {"--retries", "0"}), {"NGFREQ_FAULT=crash-task:1"});
  EXPECT_EQ(map.exit_code(), 1);
  EXPECT_THAT(map.err, testing::StartsWith("ngfreq: error: worker process "));
  EXPECT_THAT(map.err, HasSubstr("was killed by signal 11 (SIGSEGV"));
  EXPECT_THAT(map.err, HasSubstr("while mapping '" + corpus_path() + "' bytes 0-"));
  EXPECT_THAT(map.err, testing::ContainsRegex(" bytes 0-[0-9]+ \\(task 1\\)"));
  EXPECT_THAT(map.err, HasSubstr("gave up after 1 attempt (--retries 0)"));
  EXPECT_FALSE(fs::exists(out_path()));
  expect_nothing_left(dir_);

  CliRun merge = run(dir_, process_args("1", {"--retries", "0", "--reduce", "tree", "--fan-in", "2"}),
                     {"NGFREQ_FAULT=crash-task:3"});
  EXPECT_EQ(merge.exit_code(), 1);
  EXPECT_THAT(merge.err, HasSubstr("while merging 2 tables (task 3)"));
  expect_nothing_left(dir_);
}

TEST_F(ProcessExecutor, RetriesRunOutAfterRepeatedCrashes) {
  // --retries 1 is the default
  CliRun fails = run(dir_, process_args("2"), {"NGFREQ_FAULT=crash-task:2:2"});
  EXPECT_EQ(fails.exit_code(), 1);
  EXPECT_THAT(fails.err, HasSubstr("gave up after 2 attempts (--retries 1)"));
  expect_nothing_left(dir_);
  expect_right_answer(run(dir_, process_args("2", {"--retries", "2"}), {"NGFREQ_FAULT=crash-task:2:2"}));
}

// kill -9 from outside: every worker of a run that waits on a hung task is
// killed; each is replaced, the hung task is retried, and the answer holds.
TEST_F(ProcessExecutor, WorkersKilledFromOutsideAreReplaced) {
  pid_t pid = start_hung_run();
  for (pid_t w : children_of(pid)) kill(w, SIGKILL);
  expect_right_answer(finish(dir_, pid));
}

TEST_F(ProcessExecutor, DataErrorNamesTheSameLineAsTheThreadExecutor) {
  std::string bad = *corpus_;
  size_t at = 0;
  for (int i = 0; i < 500; i++) at = bad.find('\n', at) + 1;
  bad.insert(at, "broken\t2000\t5\n");  // line 501
  write_file(dir_ / "bad.tsv", bad);
  std::string want =
      "ngfreq: error: " + (dir_ / "bad.tsv").string() + ":501: expected 4 tab-separated fields, got 3";
  for (std::string executor : {"thread", "process"})
    for (std::string size : {"7", "4096", "1M"}) {
      CliRun r = run(dir_, {"count", "-e", executor, "-j", "2", "-p", size, (dir_ / "bad.tsv").string()});
      EXPECT_EQ(r.exit_code(), 1);
      EXPECT_THAT(r.err, HasSubstr(want)) << executor << " -p " << size;
      expect_nothing_left(dir_);
    }
}

// SIGINT and SIGTERM while a worker is busy: the run stops at once with
// 128 + signal, and leaves no worker, output or temporary file.
TEST_F(ProcessExecutor, SignalsStopEveryWorkerAndLeaveNothing) {
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(strsignal(sig));
    pid_t pid = start_hung_run();
    auto sent = std::chrono::steady_clock::now();
    kill(pid, sig);
    CliRun r = finish(dir_, pid);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
    EXPECT_EQ(r.exit_code(), 128 + sig);
    EXPECT_LT(secs, 5.0);  // required: 1 s; generous against a loaded machine
    EXPECT_FALSE(fs::exists(out_path()));
    expect_nothing_left(dir_, std::chrono::seconds(2));
  }
}

// A parent killed with SIGKILL runs no handler: PR_SET_PDEATHSIG alone must
// take its workers down. The test makes itself their subreaper, so that it
// can reap the orphans (PID 1 of a container may never do so).
TEST_F(ProcessExecutor, WorkersDieWithAKilledParent) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  pid_t pid = start_hung_run();
  std::vector<pid_t> workers = children_of(pid);
  ASSERT_EQ(workers.size(), 2u);
  kill(pid, SIGKILL);
  CliRun r = finish(dir_, pid);
  EXPECT_TRUE(WIFSIGNALED(r.status));
  // The hung worker sleeps without reading its channel, so only the death
  // signal can end it. An idle worker may instead read end of file on its
  // channel (the kernel closes the parent's files before it signals the
  // children) and exit by itself: either way it must be gone.
  int killed = 0;
  for (pid_t w : workers) {
    int status = 0;
    EXPECT_EQ(waitpid(w, &status, 0), w);  // returns once the orphan is dead
    killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  EXPECT_GE(killed, 1);
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  // The output's temporary file is not cleaned up by a SIGKILLed parent
  // (nothing could); everything of the pool must still be gone.
  for (const fs::directory_entry& e : fs::directory_iterator(dir_.path()))
    if (e.path().filename().string().find(".ngfreq-") != std::string::npos) fs::remove(e.path());
  expect_nothing_left(dir_);
}
