// The process executor: map and tree-merge tasks run in a pool of worker
// processes, scheduled by the parent, with no input bytes and no tables
// serialised through pipes.
//
// Tasks are small fixed messages. A plain partition travels as (file, byte
// range): the worker opens and reads the file itself, so the bytes come
// from the shared page cache. A gzip or pipe input is inflated and cut by
// the parent (a stream cannot be split at byte offsets), straight into a
// memfd that the worker then maps (BufferPool::use_shared_memory). A
// worker returns its table as a flat table (flat-table.h) in a memfd whose
// descriptor travels over the channel; the parent never parses it, only
// passes descriptors on to merge tasks.
//
// With --reduce partitioned (the default) the parent appends the shards of
// each map table, records already in the partitions' format, to its
// partition runs as they arrive, spilling them past the memory budget like
// a thread would, and sums them after the workers are gone (reducer.h); the
// workers merge nothing.
//
// With --reduce tree the parent runs the Reducer's tree schedule: tables wait by level, and as
// soon as fan_in of one level are ready, a merge task for them goes to the
// front of the queue, ahead of maps, so memory is freed early. Once every
// map is handed out, idle workers merge only until at most fan_in tables
// are left; the parent, once the pool is shut down, reads those into one
// FreqTable (the root merge, on job-count threads). Sums commute, so the
// grouping does not change the result, and the output is sorted, so the
// bytes are identical to the thread executor's. With --reduce serial the
// parent reads every map table and its Reducer folds them in partition
// order, as the textbook did.
//
// Faults. The parent keeps every input of a running task (the chunk,
// the tables of a merge) until the result arrives, so a task whose worker
// died is simply sent again, to a fresh worker, up to --retries times; then
// the run fails naming the task and the signal. Workers are forked when
// the executor is made, which run_count does before any oneTBB algorithm
// or thread exists; replacements are forked later, from a parent that in
// this mode still runs no oneTBB algorithm until the pool is shut down (its
// Reducer is serial and its only other thread is the progress reporter),
// and workers themselves use no oneTBB and no lock another thread may hold.
// That keeps fork() safe without re-executing the binary.
//
// Data errors travel as MapReports in the result, and the parent feeds
// CountJob::report, so the file:line message is the thread executor's.
#include <fmt/format.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>

#include "ngfreq/executor.h"
#include "ngfreq/flat-table.h"
#include "ngfreq/process-pool.h"

namespace ngfreq::detail {

namespace {

enum class TaskKind : u32 { map_partition, map_chunk, merge };

struct TaskMessage {
  TaskKind kind = TaskKind::map_partition;
  i64 attempt = 0;
  i64 id = 0;  // 1, 2, ... in the order tasks were first sent
  i64 file_index = 0;
  i64 index = 0;  // map_chunk: the chunk's index in its stream
  i64 begin = 0;  // map_partition: the byte range of its partitions
  i64 end = 0;    // map_chunk: the chunk's size in its memfd
  i64 first = 0;  // map_partition: job.partitions[first, first + count)
  i64 count = 0;
  // map_chunk: the stream's format, which the parent learnt from its first
  // chunk after the workers were forked.
  Format format = Format::automatic;
};

// Tiny partitions are handed out in batches of consecutive partitions of
// one file of about this many bytes. A task's round trip (two messages, a
// memfd for its table, a poll wake-up) costs about as much as mapping
// 64 KiB; 1 MiB keeps that under a few percent. Partitions at the default
// size (1 MiB and up) go one a task.
constexpr i64 MIN_TASK_BYTES = 1 << 20;
// ...but a file yields at least this many tasks a worker, so that tiny
// partitions still spread over every worker and feed the merge tree.
constexpr i64 MIN_TASKS_PER_JOB = 4;

// Fixed-size text fields: a result is one message of known size. Longer
// texts are cut; a parse error's reason is short (its excerpt is truncated
// by the parser).
constexpr int TEXT_BYTES = 1024;
constexpr int SKIP_REASON_BYTES = 256;

struct ResultMessage {
  i64 id = 0;
  bool failed = false;      // the worker caught an exception: `text`
  bool has_report = false;  // a map's report
  bool has_line_error = false;
  bool has_table = false;  // a memfd descriptor comes with the message
  i64 report_file_index = 0;
  i64 report_index = 0;
  i64 report_lines = 0;
  i64 error_offset = 0;
  i64 error_line_index = 0;
  i64 lines = 0;
  i64 input_bytes = 0;
  i64 read_ns = 0;
  i64 map_ns = 0;
  i64 busy_ns = 0;
  i64 bytes_mapped = 0;
  char text[TEXT_BYTES] = {};
  // --on-error skip: the lines left out, and the first few named.
  i64 skipped = 0;
  i64 named_skips = 0;
  i64 skip_offset[MAX_NAMED_SKIPS] = {};
  i64 skip_line_index[MAX_NAMED_SKIPS] = {};
  char skip_reason[MAX_NAMED_SKIPS][SKIP_REASON_BYTES] = {};
};

template <size_t N> void set_text(char (&dst)[N], std::string_view s) {
  size_t n = std::min(s.size(), N - 1);
  std::memcpy(dst, s.data(), n);
  dst[n] = '\0';
}

// NGFREQ_FAULT=crash-task:N[:T] (hidden, for tests): the worker that
// receives task N crashes with SIGSEGV on its first T attempts (default 1),
// before doing any work. hang-task:N makes it sleep forever instead.
struct Fault {
  enum { none, crash, hang } what = none;
  i64 task = 0;
  i64 attempts = 1;

  static Fault from_env() {
    Fault f;
    const char* env = std::getenv("NGFREQ_FAULT");
    if (!env) return f;
    char kind[16] = {};
    long long task = 0, attempts = 1;
    if (std::sscanf(env, "%15[a-z]-task:%lld:%lld", kind, &task, &attempts) < 2) return f;
    f.what = std::strcmp(kind, "crash") == 0 ? crash : std::strcmp(kind, "hang") == 0 ? hang : none;
    f.task = task;
    f.attempts = attempts;
    return f;
  }

  void maybe_strike(const TaskMessage& t) const {
    if (what == none || t.id != task || t.attempt >= attempts) return;
    if (what == hang)
      for (;;) pause();
    rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // a test crash leaves no core file
    signal(SIGSEGV, SIG_DFL);          // not a sanitizer's handler: die of the signal
    raise(SIGSEGV);
  }
};

// ---- The worker side -------------------------------------------------

// Flat tables are built in a buffer the worker reuses, then copied into a
// new memfd with write(). Writing them straight into a fresh memfd mapping
// took a page fault per 4 KiB, a fifth of the worker's time on the 2-core
// VM; a kernel copy from resident memory is far cheaper. Tables larger than
// this are written through a mapping instead, so that a huge table is not
// held twice.
constexpr i64 SCRATCH_LIMIT = 256 << 20;

// Writes a flat table of at most `bound` bytes with `fill(char* out)`
// (which returns the bytes written) into a new memfd.
// The worker's reusable buffer for flat tables: mapped with MAP_POPULATE
// and grown by doubling, because on the 2-core VM a page fault costs ~10 us
// (a hypervisor exit): faulting in a fresh 20 MB buffer took 4x as long as
// the merge that filled it.
class Scratch {
 public:
  char* get(i64 size) {
    if (size > map_.size()) map_ = Mapping::anonymous(std::max(size, 2 * map_.size()));
    return map_.data();
  }

 private:
  Mapping map_;
};

template <class Fill> UniqueFd flat_to_memfd(i64 bound, Fill fill) {
  static Scratch scratch;
  if (bound <= SCRATCH_LIMIT) {
    char* buf = scratch.get(bound);
    i64 size = fill(buf);
    return memfd_with("ngfreq-table", std::string_view(buf, size));
  }
  UniqueFd fd = make_memfd("ngfreq-table", bound);
  i64 size;
  {
    Mapping m(fd.get(), bound, true);
    size = fill(m.data());
  }
  resize_memfd(fd.get(), size);
  return fd;
}

// An empty table sends nothing.
UniqueFd table_to_memfd(const FreqTable& table) {
  if (table.empty()) return UniqueFd();
  return flat_to_memfd(flat_size(table), [&](char* out) { return write_flat(table, out); });
}

UniqueFd run_map(CountJob& job, const TaskMessage& t, std::vector<UniqueFd>& fds, ResultMessage& r) {
  i64 lines = job.lines, input_bytes = job.input_bytes, read_ns = job.read_ns, map_ns = job.map_ns;
  FreqTable table;
  std::vector<MapReport> reports;
  if (t.kind == TaskKind::map_partition) {
    // Each partition is mapped on its own, exactly as the thread executor
    // would; their reports become one, as if the batch were one partition.
    for (i64 i = t.first; i < t.first + t.count; i++) {
      map_partition(job, job.partitions[i], table);
      for (MapReport& rep : job.take_reports()) reports.push_back(std::move(rep));
    }
    r.bytes_mapped = t.end - t.begin;
  } else {
    if (fds.size() != 1) throw Error("map task without its chunk");
    Mapping chunk = Mapping::read_whole(fds[0].get(), t.end);
    job.inputs[t.file_index].format = t.format;
    map_chunk(job, t.file_index, t.index, std::string_view(chunk.data(), chunk.size()), table);
    reports = job.take_reports();
    r.bytes_mapped = chunk.size();
  }
  r.lines = job.lines - lines;
  r.input_bytes = job.input_bytes - input_bytes;
  r.read_ns = job.read_ns - read_ns;
  r.map_ns = job.map_ns - map_ns;
  // Reports come in input order; none for a pointless map. Partitions after
  // an error are pointless, so an error is always the last report.
  for (MapReport& rep : reports) {
    if (!r.has_report) {
      r.has_report = true;
      r.report_file_index = rep.file_index;
      r.report_index = rep.index;
    }
    if (rep.error) {
      r.has_line_error = true;
      r.error_offset = rep.error->offset;
      r.error_line_index = r.report_lines + rep.error->line_index;
      set_text(r.text, rep.error->reason);
    }
    r.skipped += rep.skipped;
    for (const LineError& e : rep.first_skipped) {
      if (r.named_skips == i64(MAX_NAMED_SKIPS)) break;
      r.skip_offset[r.named_skips] = e.offset;
      r.skip_line_index[r.named_skips] = r.report_lines + e.line_index;
      set_text(r.skip_reason[r.named_skips++], e.reason);
    }
    r.report_lines += rep.lines;
  }
  return table_to_memfd(table);
}

UniqueFd run_merge(std::vector<UniqueFd>& fds, ResultMessage& r) {
  std::vector<Mapping> maps;
  std::vector<FlatTable> inputs;
  for (UniqueFd& fd : fds) {
    maps.push_back(Mapping::read_whole(fd.get()));
    inputs.emplace_back(maps.back().data(), maps.back().size());
    r.bytes_mapped += maps.back().size();
  }
  // Sized for the worst case (no key in common).
  i64 bound = merged_flat_bound(inputs);
  return flat_to_memfd(bound, [&](char* out) { return merge_flat(inputs, out, bound); });
}

void worker_main(CountJob& job, Channel& channel) {
  job.take_reports();  // the parent's, inherited at fork
  // Keep freed memory for the next task rather than give it back: every map
  // builds a table and frees it, and glibc's default (trim the heap once
  // 128 KiB at its top are free) returned those pages each time, to fault
  // them in again for the next map: 16,000 page faults per worker on the
  // 'a' profile with 2 jobs, 1,300 with this. A worker's RSS stays at its
  // peak, which it reached anyway.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  Fault fault = Fault::from_env();
  for (;;) {
    TaskMessage t;
    std::vector<UniqueFd> fds;
    try {
      if (channel.recv(&t, sizeof t, fds) != sizeof t) return;
    } catch (...) {
      return;
    }
    fault.maybe_strike(t);
    ResultMessage r;
    r.id = t.id;
    i64 start = now_ns();
    UniqueFd table;
    try {
      table = t.kind == TaskKind::merge ? run_merge(fds, r) : run_map(job, t, fds, r);
    } catch (const std::bad_alloc&) {
      r.failed = true;
      set_text(r.text, "out of memory");
    } catch (const std::exception& e) {
      r.failed = true;
      set_text(r.text, e.what());
    }
    fds.clear();
    r.busy_ns = now_ns() - start;
    r.has_table = bool(table);
    int out = table.get();
    try {
      if (!channel.send(&r, sizeof r, table ? std::span<const int>(&out, 1) : std::span<const int>())) return;
    } catch (...) {
      return;
    }
  }
}

// ---- The parent side -------------------------------------------------

// A finished table waiting in the parent: a flat table in a memfd.
struct Table {
  UniqueFd fd;
  int level = 0;  // 0 for a map's table, 1 + the highest input's for a merge
};

// Reads flat tables in memfds into one FreqTable; `parallel` only once the
// pool is shut down (no fork may follow a oneTBB algorithm).
FreqTable read_tables(std::span<const Table> tables, bool parallel) {
  std::vector<Mapping> maps;
  std::vector<FlatTable> flats;
  for (const Table& t : tables) {
    maps.push_back(Mapping::read_whole(t.fd.get()));
    flats.emplace_back(maps.back().data(), maps.back().size());
  }
  FreqTable table;
  read_flat_into(table, flats, parallel);
  return table;
}

struct Task {
  TaskMessage msg;
  ChunkBuffer chunk;          // map_chunk: kept until done, for retries
  std::vector<Table> inputs;  // merge: kept until done, for retries
  int attempts = 0;
  bool delivered = false;  // false if the worker was dead before it got it
};

class ProcessExecutor : public Executor {
 public:
  explicit ProcessExecutor(CountJob& job)
      : job_(job), pool_(job.jobs, [&job](Channel& channel) { worker_main(job, channel); }) {
    // Chunks are inflated into memfds, which workers map: a copy into one
    // (write) took a quarter of the parent's time, the parent being the
    // pipeline's one inflater (2 jobs, 'a' profile, gzip).
    job.buffers.use_shared_memory();
  }

  void map_all(CountJob& job, Reducer& reducer) override;
  bool parallel() const override { return false; }

 private:
  bool next_task(Task& t);
  bool maps_left() const {
    return next_partition_ < i64(job_.partitions.size()) || !chunks_.empty() ||
           next_stream_ < i64(job_.stream_inputs.size());
  }
  bool read_chunk(Task& t);
  void dispatch(int slot, Task t);
  void on_result(int slot, const ResultMessage& r, std::vector<UniqueFd>& fds, Reducer& reducer);
  void on_death(const ProcessPool::Event& ev);
  void add_table(Table t);
  std::string describe(const TaskMessage& t) const;

  CountJob& job_;
  ProcessPool pool_;
  bool tree_ = true;
  int fan_in_ = 2;
  i64 next_id_ = 1;
  i64 next_partition_ = 0;
  i64 next_stream_ = 0;
  std::unique_ptr<StreamReader> stream_;
  std::deque<Task> ready_;   // merges and retries, ahead of new maps
  std::deque<Task> chunks_;  // stream chunks inflated ahead
  std::vector<std::optional<Task>> running_;
  std::vector<std::vector<Table>> levels_;  // tree mode: tables waiting to merge
};

std::string ProcessExecutor::describe(const TaskMessage& t) const {
  switch (t.kind) {
  case TaskKind::map_partition:
    return fmt::format("mapping '{}' bytes {}-{}", job_.inputs[t.file_index].path, t.begin, t.end);
  case TaskKind::map_chunk:
    return fmt::format("mapping chunk {} of '{}'", t.index, job_.inputs[t.file_index].path);
  case TaskKind::merge: return fmt::format("merging {} tables", t.count);
  }
  return "";
}

// Inflates and cuts the next chunk of the stream inputs into a map task.
bool ProcessExecutor::read_chunk(Task& t) {
  while (next_stream_ < i64(job_.stream_inputs.size())) {
    i64 file = job_.stream_inputs[next_stream_];
    if (!stream_) stream_ = std::make_unique<StreamReader>(job_, file);
    i64 index;
    ChunkBuffer chunk;
    if (stream_->next(index, chunk)) {
      t.msg = {TaskKind::map_chunk, 0, 0, file, index, 0, chunk.size, 0, 0, job_.inputs[file].format};
      t.chunk = std::move(chunk);
      return true;
    }
    stream_.reset();
    next_stream_++;
  }
  return false;
}

// The next task for an idle worker: a waiting merge or retry, else the next
// map, else (once every map is handed out) a merge of what is waiting.
bool ProcessExecutor::next_task(Task& t) {
  if (!ready_.empty()) {
    t = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }
  while (next_partition_ < i64(job_.partitions.size())) {
    const Partition& p = job_.partitions[next_partition_];
    if (job_.pointless(input_order(p.file_index, p.index))) {
      job_.progress.partitions_done.fetch_add(1, std::memory_order_relaxed);
      next_partition_++;
      continue;
    }
    // This file's partitions are job_.partitions[first, end): all of the
    // file's, or an MPI rank's contiguous share of them.
    i64 first = next_partition_, end = next_partition_;
    while (first > 0 && job_.partitions[first - 1].file_index == p.file_index) first--;
    while (end < i64(job_.partitions.size()) && job_.partitions[end].file_index == p.file_index) end++;
    i64 batch = std::max<i64>(1, std::min(MIN_TASK_BYTES / std::max<i64>(1, job_.partition_size),
                                          (end - first) / (MIN_TASKS_PER_JOB * job_.jobs)));
    i64 count = std::min(batch, end - next_partition_);
    t.msg = {TaskKind::map_partition,
             0,
             0,
             p.file_index,
             0,
             p.begin,
             job_.partitions[next_partition_ + count - 1].end,
             next_partition_,
             count,
             Format::automatic};
    next_partition_ += count;
    return true;
  }
  if (!chunks_.empty()) {
    t = std::move(chunks_.front());
    chunks_.pop_front();
    return true;
  }
  if (read_chunk(t)) return true;
  if (job_.failed()) return false;  // the run fails anyway: merge nothing
  // Every map is out. The root merge is left to the parent, which reads the
  // last fan_in tables into one FreqTable: it touches every entry then
  // anyway, on every core, and a worker's root merge would cost a pass and
  // a copy of the whole result on one. So workers merge only while more
  // than fan_in tables would be left (counting one a running task), and
  // only as many as brings them down to fan_in, lowest levels first:
  // merging a full group here put a 50 ms merge of the biggest tables on
  // one worker, the other idle, before the parent could start (2 jobs,
  // 'a' profile).
  i64 left = 0;
  for (const std::vector<Table>& level : levels_) left += level.size();
  for (const std::optional<Task>& r : running_) left += r.has_value();
  if (left <= fan_in_) return false;
  i64 group_size = std::min<i64>(fan_in_, left - fan_in_ + 1);
  std::vector<Table> group;
  for (std::vector<Table>& level : levels_)
    while (!level.empty() && i64(group.size()) < group_size) {
      group.push_back(std::move(level.back()));
      level.pop_back();
    }
  if (group.size() >= 2) {
    t.msg = {TaskKind::merge, 0, 0, 0, 0, 0, 0, 0, i64(group.size()), Format::automatic};
    t.inputs = std::move(group);
    return true;
  }
  for (Table& table : group) add_table(std::move(table));  // a lone table goes back
  return false;
}

void ProcessExecutor::dispatch(int slot, Task t) {
  if (t.msg.id == 0) t.msg.id = next_id_++;
  t.msg.attempt = t.attempts;
  std::vector<int> fds;
  if (t.msg.kind == TaskKind::map_chunk) fds.push_back(t.chunk.memfd.get());
  for (const Table& in : t.inputs) fds.push_back(in.fd.get());
  // A worker that died since its last result fails the send; wait() reports
  // the death, and on_death resends this task without counting an attempt.
  t.delivered = pool_.send(slot, &t.msg, sizeof t.msg, fds);
  running_[slot] = std::move(t);
}

void ProcessExecutor::add_table(Table t) {
  if (i64(levels_.size()) <= t.level) levels_.resize(t.level + 1);
  std::vector<Table>& level = levels_[t.level];
  level.push_back(std::move(t));
  // Once every map is out, next_task decides what is still worth merging.
  if (i64(level.size()) < fan_in_ || job_.failed() || !maps_left()) return;
  Task merge;
  merge.msg = {TaskKind::merge, 0, 0, 0, 0, 0, 0, 0, i64(level.size()), Format::automatic};
  merge.inputs = std::move(level);
  level.clear();
  ready_.push_front(std::move(merge));
}

void ProcessExecutor::on_result(int slot, const ResultMessage& r, std::vector<UniqueFd>& fds,
                                Reducer& reducer) {
  Task task = std::move(*running_[slot]);
  running_[slot].reset();
  if (r.id != task.msg.id) throw Error("a worker process answered the wrong task");
  if (r.failed) throw Error(r.text);
  if (r.has_table && fds.size() != 1) throw Error("a worker process sent no table");
  // The worker unmapped the chunk before answering: its memfd is free.
  if (task.msg.kind == TaskKind::map_chunk) job_.buffers.give_back(std::move(task.chunk));

  WorkerStats& ws = job_.worker_stats[slot];
  ws.tasks++;
  ws.bytes_mapped += r.bytes_mapped;
  ws.busy_seconds += r.busy_ns * 1e-9;

  if (task.msg.kind == TaskKind::merge) {
    job_.pool_merges++;
    job_.pool_merge_ns += r.busy_ns;
    int level = 0;
    for (const Table& in : task.inputs) level = std::max(level, in.level + 1);
    if (r.has_table) add_table({std::move(fds[0]), level});
    return;
  }

  job_.lines += r.lines;
  job_.input_bytes += r.input_bytes;
  job_.read_ns += r.read_ns;
  job_.map_ns += r.map_ns;
  if (r.has_report) {
    MapReport rep{r.report_file_index, r.report_index, r.report_lines, std::nullopt, std::nullopt, 0, {}};
    if (r.has_line_error) rep.error = LineError{r.error_offset, r.error_line_index, r.text};
    rep.skipped = r.skipped;
    for (i64 i = 0; i < r.named_skips; i++)
      rep.first_skipped.push_back({r.skip_offset[i], r.skip_line_index[i], r.skip_reason[i]});
    job_.report(std::move(rep));
  }
  if (!r.has_table) return;
  u64 order = input_order(r.report_file_index, r.report_index);
  Table table{std::move(fds[0]), 0};
  if (job_.opts.reduce == ReduceMode::partitioned) {
    // Each shard's records go to the parent's runs as they are; the parent
    // spills them when they pass the memory budget.
    Mapping map = Mapping::read_whole(table.fd.get());
    reducer.add_flat(FlatTable(map.data(), map.size()));
  } else if (tree_) {
    add_table(std::move(table));
  } else {
    reducer.add(read_tables(std::span(&table, 1), false), order);
  }
}

void ProcessExecutor::on_death(const ProcessPool::Event& ev) {
  std::optional<Task> task = std::move(running_[ev.slot]);
  running_[ev.slot].reset();
  job_.worker_stats[ev.slot].restarts++;
  if (task) {
    if (task->delivered) task->attempts++;
    if (task->attempts > job_.opts.retries)
      throw Error(
          fmt::format("worker process {} {} while {} (task {}); gave up after {} attempt{} "
                      "(--retries {})",
                      ev.pid, describe_exit(ev.status), describe(task->msg), task->msg.id, task->attempts,
                      task->attempts == 1 ? "" : "s", job_.opts.retries));
  }
  pool_.respawn(ev.slot);
  // The retry goes to the fresh worker, which is certainly alive: another
  // idle slot might hold a worker killed at the same moment whose death is
  // not reported yet, and a send to it could still succeed.
  if (task) dispatch(ev.slot, std::move(*task));
}

void ProcessExecutor::map_all(CountJob& job, Reducer& reducer) {
  tree_ = job.opts.reduce == ReduceMode::tree;
  // A merge's inputs travel in one message.
  fan_in_ = std::min(job.opts.fan_in, MAX_FDS_PER_MESSAGE);
  running_.clear();
  running_.resize(pool_.size());
  job.worker_stats.assign(pool_.size(), WorkerStats{});

  ResultMessage r;
  for (;;) {
    for (int slot = 0; slot < pool_.size(); slot++) {
      if (running_[slot]) continue;
      Task t;
      if (!next_task(t)) break;
      dispatch(slot, std::move(t));
    }
    bool busy = false;
    for (const std::optional<Task>& t : running_) busy |= t.has_value();
    if (!busy) break;  // nothing runs and nothing is left to hand out
    // Inflate the next chunk while the workers map, so that the parent's
    // inflating and the workers' mapping overlap as in the thread
    // executor's pipeline. One chunk ahead a worker: without it the two
    // alternated, and gzip input took twice the thread executor's time.
    Task ahead;
    if (i64(chunks_.size()) < pool_.size() && read_chunk(ahead)) chunks_.push_back(std::move(ahead));
    std::vector<UniqueFd> fds;
    ProcessPool::Event ev = pool_.wait(&r, sizeof r, fds);
    if (ev.died)
      on_death(ev);
    else if (ev.bytes != sizeof r)
      throw Error("a worker process sent a malformed message");
    else
      on_result(ev.slot, r, fds, reducer);
  }
  // Shut the workers down before the parent does anything else, so they
  // free their memory and no fork happens after this point.
  pool_.shutdown();

  if (!tree_ || job.failed()) return;
  // The final table is read on `jobs` threads, as the thread executor
  // would use for its last merge.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, job.jobs);
  std::vector<Table> last;
  for (std::vector<Table>& level : levels_)
    for (Table& t : level) last.push_back(std::move(t));
  levels_.clear();
  reducer.add(read_tables(last, true), 0);
}

}  // namespace

std::unique_ptr<Executor> make_process_executor(CountJob& job) {
  return std::make_unique<ProcessExecutor>(job);
}

}  // namespace ngfreq::detail
