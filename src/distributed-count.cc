#include "ngfreq/distributed-count.h"

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <numeric>
#include <optional>

#include "ngfreq/inputs.h"
#include "ngfreq/partition-runs.h"
#include "ngfreq/partition.h"
#include "ngfreq/record-block.h"
#include "ngfreq/shared-memory.h"
#include "ngfreq/spill-file.h"

namespace ngfreq::detail {

namespace {

// What a line costs to map, in bytes of input scanned: its hash and table
// update (about 30 ns a line on the 1-gram `a` file, one thread) against
// a scan at several GB/s.
constexpr i64 LINE_COST_BYTES = 128;

// What mapping each plain partition costs, in bytes: its own plus
// LINE_COST_BYTES a line (estimated_lines). Each rank samples a slice of
// the partitions, so that no file is sampled by every rank, and every rank
// gets all the estimates.
std::vector<i64> partition_costs(const CountJob& job, Cluster& cluster) {
  i64 parts = job.partitions.size();
  i64 first = parts * cluster.rank() / cluster.size(), last = parts * (cluster.rank() + 1) / cluster.size();
  std::string mine;
  run_agreed(&cluster, [&] {
    UniqueFd fd;
    i64 open_file = -1;
    for (i64 i = first; i < last; i++) {
      const Partition& p = job.partitions[i];
      const std::string& path = job.inputs[p.file_index].path;
      if (p.file_index != open_file) {
        fd = UniqueFd(open_input(path));
        open_file = p.file_index;
      }
      i64 cost = p.end - p.begin + LINE_COST_BYTES * estimated_lines(fd.get(), path, p);
      mine.append(reinterpret_cast<const char*>(&cost), sizeof cost);
    }
  });
  std::vector<i64> costs(parts);
  i64 at = 0;
  for (const std::string& theirs : cluster.all_gather(mine)) {
    std::memcpy(costs.data() + at, theirs.data(), theirs.size());
    at += i64(theirs.size() / sizeof(i64));
  }
  return costs;
}

}  // namespace

void keep_rank_share(CountJob& job, Cluster& cluster) {
  // The plain partitions in contiguous runs of about equal cost, rank r the
  // r-th: each rank reads its files' ranges front to back, and the process
  // executor can batch neighbours. Cost, not bytes: on the 1-gram `a` file
  // an even split of bytes gave rank 0 of 2 11% more lines, and it mapped
  // 16% longer. A stream input (gzip file or pipe) is read whole by one
  // rank: largest first, each to the rank with the fewest bytes so far.
  int rank = cluster.rank(), ranks = cluster.size();
  std::vector<i64> costs = partition_costs(job, cluster);
  i64 total_cost = std::max<i64>(1, std::accumulate(costs.begin(), costs.end(), i64(0)));
  std::vector<i64> bytes(ranks, 0);
  std::vector<Partition> mine;
  i64 cost_before = 0;
  for (size_t i = 0; i < job.partitions.size(); i++) {
    const Partition& p = job.partitions[i];
    // The rank whose share holds the middle of this partition's cost.
    int r = int(std::min<i64>(ranks - 1, (cost_before + costs[i] / 2) * ranks / total_cost));
    cost_before += costs[i];
    bytes[r] += p.end - p.begin;
    if (r == rank) mine.push_back(p);
  }
  std::vector<i64> streams = job.stream_inputs;
  std::stable_sort(streams.begin(), streams.end(),
                   [&](i64 a, i64 b) { return job.inputs[a].size > job.inputs[b].size; });
  std::vector<i64> my_streams;
  for (i64 f : streams) {
    // mpirun gives standard input to rank 0 only, and a named pipe is on
    // the machine where mpirun was started: rank 0 reads them.
    bool pipe = !job.inputs[f].gzip && !job.inputs[f].seekable;
    int r = pipe ? 0 : int(std::min_element(bytes.begin(), bytes.end()) - bytes.begin());
    bytes[r] += std::max<i64>(1, estimated_input_bytes({job.inputs[f]}));
    if (r == rank) my_streams.push_back(f);
  }
  std::sort(my_streams.begin(), my_streams.end());
  job.partitions = std::move(mine);
  job.stream_inputs = std::move(my_streams);
  i64 file_bytes = 0;
  for (const Partition& p : job.partitions) file_bytes += p.end - p.begin;
  for (i64 f : job.stream_inputs) file_bytes += job.inputs[f].size;
  job.progress.partitions_total = job.partitions.size();
  job.progress.bytes_total = file_bytes;
  job.progress.streams_pending = !job.stream_inputs.empty();
}

// ---- Map reports, as bytes -------------------------------------------------

namespace {

class ByteWriter {
 public:
  void number(i64 v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void text(const std::string& s) {
    number(s.size());
    out_ += s;
  }
  void line_error(const LineError& e) {
    number(e.offset);
    number(e.line_index);
    text(e.reason);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what a ByteWriter wrote; the bytes come from another rank of the
// same binary, so a short read is a bug, reported as an Error.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }
  i64 number() {
    i64 v;
    need(sizeof v);
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return v;
  }
  std::string text() {
    i64 n = number();
    need(n);
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  LineError line_error() {
    LineError e;
    e.offset = number();
    e.line_index = number();
    e.reason = text();
    return e;
  }

 private:
  void need(i64 n) const {
    if (n < 0 || i64(in_.size()) < n) throw Error("a map report from another rank is truncated");
  }
  std::string_view in_;
};

std::string encode_reports(const std::vector<MapReport>& reports) {
  ByteWriter w;
  for (const MapReport& r : reports) {
    w.number(r.file_index);
    w.number(r.index);
    w.number(r.lines);
    w.number(r.error.has_value());
    if (r.error) w.line_error(*r.error);
    w.number(r.located_error.has_value());
    if (r.located_error) w.text(*r.located_error);
    w.number(r.skipped);
    w.number(r.first_skipped.size());
    for (const LineError& e : r.first_skipped) w.line_error(e);
  }
  return w.take();
}

std::vector<MapReport> decode_reports(std::string_view bytes) {
  ByteReader in(bytes);
  std::vector<MapReport> reports;
  while (!in.done()) {
    MapReport r;
    r.file_index = in.number();
    r.index = in.number();
    r.lines = in.number();
    if (in.number()) r.error = in.line_error();
    if (in.number()) r.located_error = in.text();
    r.skipped = in.number();
    for (i64 n = in.number(); n > 0; n--) r.first_skipped.push_back(in.line_error());
    reports.push_back(std::move(r));
  }
  return reports;
}

}  // namespace

void share_reports(CountJob& job, Cluster& cluster) {
  std::vector<MapReport> mine = job.take_reports();
  std::vector<std::string> all = cluster.all_gather(encode_reports(mine));
  for (int r = 0; r < cluster.size(); r++) {
    if (r == cluster.rank()) continue;
    for (MapReport& rep : decode_reports(all[r])) job.report(std::move(rep));
  }
  for (MapReport& rep : mine) job.report(std::move(rep));
}

// ---- Answers -------------------------------------------------------------

namespace {

void write_rows(ByteWriter& w, const std::vector<Row>& rows) {
  w.number(rows.size());
  for (const Row& r : rows) {
    w.text(r.key);
    w.number(i64(r.count));
    w.number(i64(r.volumes));
  }
}

void read_rows(ByteReader& in, std::vector<Row>& rows) {
  for (i64 n = in.number(); n > 0; n--) {
    Row r;
    r.key = in.text();
    r.count = u64(in.number());
    r.volumes = u64(in.number());
    rows.push_back(std::move(r));
  }
}

// One word's rows from every rank, summed by key: shuffled, only the
// owner's are not 0 (without --by-year every rank has the word's row);
// unshuffled (count.h), every rank's part of a total adds up. A sum past
// 2^64 - 1 is the same error as one process's.
void add_up_rows(std::vector<Row>& rows, bool by_year) {
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  size_t kept = 0;
  for (size_t i = 0; i < rows.size(); i++) {
    if (kept > 0 && rows[kept - 1].key == rows[i].key) {
      Row& sum = rows[kept - 1];
      if (!add_count(sum.count, rows[i].count))
        throw Error(fmt::format("total match_count of '{}' overflows 64 bits", sum.key));
      add_count(sum.volumes, rows[i].volumes);
    } else {
      if (kept != i) rows[kept] = std::move(rows[i]);
      kept++;
    }
  }
  rows.resize(kept);
  if (by_year) sort_by_year(rows);
}

}  // namespace

CountAnswer combine_answers(CountAnswer mine, const AnswerRequest& request, Cluster& cluster) {
  ByteWriter w;
  for (const std::vector<Row>& rows : mine.words) write_rows(w, rows);
  write_rows(w, mine.top);
  w.number(mine.distinct);
  w.number(i64(u64(mine.total)));
  w.number(i64(u64(mine.total >> 64)));
  // Every rank joins the answers, so that an overflow is every rank's error.
  std::vector<std::string> all = cluster.all_gather(w.take());

  CountAnswer out;
  out.sort_spill = mine.sort_spill;
  out.words.resize(request.words.size());
  for (const std::string& bytes : all) {
    ByteReader in(bytes);
    for (std::vector<Row>& rows : out.words) read_rows(in, rows);
    read_rows(in, out.top);
    out.distinct += in.number();
    u128 low = u64(in.number()), high = u64(in.number());
    out.total += low | high << 64;
  }
  cluster.agreed_failure = true;
  for (std::vector<Row>& rows : out.words) add_up_rows(rows, request.by_year);
  cluster.agreed_failure = false;
  std::sort(out.top.begin(), out.top.end(), rank_less<Row>);
  if (i64(out.top.size()) > request.top) out.top.resize(request.top);
  return out;
}

// ---- Progress --------------------------------------------------------------

// How often the ranks sum their counters: often enough for a bar that moves,
// rare enough to cost nothing next to the maps.
static constexpr auto PROGRESS_PERIOD = std::chrono::milliseconds(200);

ClusterProgress::ClusterProgress(Cluster& cluster, const ProgressCounters& local)
    : cluster_(cluster), local_(local) {
  thread_ = std::thread([this] { run(); });
}

ClusterProgress::~ClusterProgress() {
  if (std::uncaught_exceptions() > 0) {
    // An error of this rank alone: main() ends the whole job (MPI_Abort),
    // rather than wait here for every other rank to finish mapping. The
    // thread leaves after its current sum (the others sum every period),
    // so that no thread is in MPI when main() calls MPI_Abort.
    std::lock_guard lock(mutex_);
    abandoned_ = true;
  }
  try {
    finish();
  } catch (...) {
  }
}

void ClusterProgress::finish() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void ClusterProgress::run() {
  try {
    bool told_done = false;
    for (;;) {
      bool done;
      {
        std::unique_lock lock(mutex_);
        // A rank that finished says so at once, then keeps summing at the
        // period until every rank has.
        wake_.wait_for(lock, PROGRESS_PERIOD, [&] { return done_ && !told_done; });
        done = done_;
      }
      {
        std::lock_guard lock(mutex_);
        if (abandoned_) return;
      }
      told_done = done;
      auto load = [](const std::atomic<i64>& a) { return a.load(std::memory_order_relaxed); };
      std::vector<i64> sums =
          cluster_.all_sum({load(local_.partitions_done), load(local_.partitions_total),
                            load(local_.bytes_done), load(local_.bytes_total), load(local_.bytes_parsed),
                            local_.streams_pending ? 1 : 0, done ? 0 : 1});
      global_.partitions_done = sums[0];
      global_.partitions_total = sums[1];
      global_.bytes_done = sums[2];
      global_.bytes_total = sums[3];
      global_.bytes_parsed = sums[4];
      global_.streams_pending = sums[5] > 0;
      if (sums[6] == 0) return;
    }
  } catch (...) {
    error_ = std::current_exception();
  }
}

// ---- The exchange of totals ------------------------------------------------

int owner_rank(u64 hash, int ranks) {
  int unit = FreqTable::shard_of(hash) * SUB_PARTITIONS + sub_partition(hash, 1);
  return unit % ranks;
}

i64 exchange_bytes_per_peer(int ranks) {
  constexpr i64 MIN_PER_PEER = 1 << 20;
  return std::min(std::max(MIN_PER_PEER, EXCHANGE_ROUND_BYTES / ranks), MAX_EXCHANGE_BYTES / ranks);
}

namespace {

// A block on its way to a peer: compressed in memory, or, once the blocks
// waiting to be sent pass their share of the memory limit, in a spill file.
struct OutgoingBlock {
  std::string bytes;
  std::optional<BlockRef> spilled;

  i64 size() const { return spilled ? i64(spilled->bytes) : i64(bytes.size()); }
};

// Where the blocks waiting to be sent are kept, within `memory` bytes.
struct OutgoingStore {
  OutgoingStore(const std::string& temp_dir, i64 limit) : file(temp_dir), memory_limit(limit) {}
  SpillFile file;
  i64 memory_limit;
  std::atomic<i64> memory{0};

  OutgoingBlock keep(std::string_view records, i64 count) {
    if (memory.load(std::memory_order_relaxed) > memory_limit) return {"", file.write(records, count)};
    // Encoded into a buffer reused from block to block, then copied at its
    // size: encode_block leaves LZ4's worst-case bound allocated (and
    // zero-filled), 4x a 3-gram block's compressed size, which a sending
    // rank held for every block it queued.
    thread_local std::string encoded;
    encoded.clear();
    encode_block(records, count, encoded);
    OutgoingBlock b;
    b.bytes = encoded;
    memory += b.bytes.size();
    return b;
  }
  void append_to(OutgoingBlock& b, std::string& message) {
    if (!b.spilled) {
      message += b.bytes;
      return;
    }
    file.read_encoded(*b.spilled, message);
    file.release(*b.spilled);
  }
};

// One visiting thread's records on their way out: raw records a
// destination, sealed into a block once SPILL_BLOCK_BYTES are there.
struct Outbox {
  Outbox(int ranks, OutgoingStore& s) : store(&s), pending(ranks), pending_records(ranks, 0), blocks(ranks) {}
  OutgoingStore* store;
  std::vector<std::string> pending;
  std::vector<i64> pending_records;
  std::vector<std::deque<OutgoingBlock>> blocks;

  void add(int dest, const FlatEntry& e) {
    append_flat_record(pending[dest], e);
    pending_records[dest]++;
    if (i64(pending[dest].size()) >= SPILL_BLOCK_BYTES) seal(dest);
  }
  void seal(int dest) {
    if (pending_records[dest] == 0) return;
    blocks[dest].push_back(store->keep(pending[dest], pending_records[dest]));
    pending[dest].clear();
    pending_records[dest] = 0;
  }
};

// Sends the blocks of `queue` (queue[r] for rank r) in rounds: whole
// blocks, up to the cap a peer, until no rank has any left. Calls
// receive(source, part) for what each rank sent here in a round, the
// blocks of one source in the order it queued them.
void exchange_rounds(Cluster& cluster, std::vector<std::deque<OutgoingBlock>>& queue, OutgoingStore& store,
                     ExchangeStats& stats,
                     const std::function<void(int source, std::string_view part)>& receive) {
  int ranks = cluster.size();
  i64 cap = exchange_bytes_per_peer(ranks);
  // The message buffer is reused from round to round (see all_to_all).
  std::string message;
  std::vector<i64> lengths(ranks);
  for (;;) {
    message.clear();
    i64 left = 0;
    for (int dest = 0; dest < ranks; dest++) {
      std::deque<OutgoingBlock>& q = queue[dest];
      i64 before = message.size();
      while (!q.empty() &&
             (i64(message.size()) == before || i64(message.size()) - before + q.front().size() <= cap)) {
        store.append_to(q.front(), message);
        q.pop_front();
      }
      lengths[dest] = i64(message.size()) - before;
      left += q.size();
    }
    stats.bytes_sent += message.size();
    std::vector<std::string_view> received = cluster.all_to_all(message, lengths);
    stats.rounds++;
    for (int source = 0; source < ranks; source++) {
      stats.bytes_received += received[source].size();
      receive(source, received[source]);
    }
    if (cluster.all_sum({left})[0] == 0) break;
  }
}

// Decodes the blocks of one all_to_all message and adds their records.
void receive_blocks(std::string_view message, Reducer& into) {
  std::vector<std::string_view> blocks = split_blocks(message);
  tbb::parallel_for(size_t(0), blocks.size(), [&](size_t i) {
    thread_local std::string records;  // reused from block to block
    records.clear();
    decode_block(blocks[i].data(), blocks[i].size(), records);
    into.add_records(records);
  });
}

}  // namespace

Totals exchange_totals(Totals from, Cluster& cluster, const std::function<int(u64 hash)>& destination,
                       const PartitionedSettings& settings, ExchangeStats& stats) {
  auto start = std::chrono::steady_clock::now();
  int rank = cluster.rank(), ranks = cluster.size();
  Reducer into(ReduceMode::partitioned, 2, true, settings);

  // Cut this rank's totals by destination; its own go straight in. The
  // blocks for other ranks may hold the share of the limit that the map's
  // runs had; past it they wait on disk.
  OutgoingStore store(settings.temp_dir, settings.budget.runs);
  tbb::enumerable_thread_specific<Outbox> outboxes([&] { return Outbox(ranks, store); });
  from.visit([&](const FreqShard& shard) {
    Outbox& box = outboxes.local();
    std::string own;
    for (const Entry& e : shard.entries()) {
      int dest = destination(e.hash);
      FlatEntry record{e.key_view(), e.hash, e.count, e.volumes};
      if (dest == rank)
        append_flat_record(own, record);
      else
        box.add(dest, record);
    }
    if (!own.empty()) into.add_records(own);
  });
  from = Totals();
  std::vector<std::deque<OutgoingBlock>> queue(ranks);
  for (Outbox& box : outboxes)
    for (int dest = 0; dest < ranks; dest++) {
      box.seal(dest);
      for (OutgoingBlock& b : box.blocks[dest]) queue[dest].push_back(std::move(b));
    }
  outboxes.clear();

  exchange_rounds(cluster, queue, store, stats,
                  [&](int, std::string_view part) { receive_blocks(part, into); });
  Totals result = into.finish();
  stats.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

// Rank 0's runs of what rank r sent start at this order, after its own
// runs (whose orders are input positions).
static constexpr u64 RECEIVED_RUN_ORDER = u64(1) << 62;
// A received run is finished (and may spill) once it holds this much, so
// that what rank 0 receives keeps to the memory limit.
static constexpr i64 RECEIVED_RUN_BYTES = i64(64) << 20;
// Rows a range of a rank's merge holds: ranges are merged and encoded in
// parallel, in pieces that spilled runs can read back within the limit.
static constexpr i64 GATHER_RANGE_ROWS = i64(1) << 20;

Totals gather_ordered(Totals local, Cluster& cluster, const PartitionedSettings& settings,
                      ExchangeStats& stats) {
  auto start = std::chrono::steady_clock::now();
  int rank = cluster.rank(), ranks = cluster.size();
  OutgoingStore store(settings.temp_dir, settings.budget.runs);
  std::vector<std::deque<OutgoingBlock>> queue(ranks);
  std::unique_ptr<OrderedRuns> runs = local.release_ordered_runs();
  // The ordered reduce always ends in runs; anything else would be lost.
  if (!runs && !(local.in_memory() && local.table().empty()))
    throw Error("gather_ordered: totals that are not ordered runs");
  if (rank != 0 && runs) {
    // This rank's runs merged in key order, range by range in parallel,
    // sealed into blocks for rank 0 in the same order.
    std::vector<std::string> splitters = runs->splitters(GATHER_RANGE_ROWS);
    std::vector<Outbox> by_range(splitters.size() + 1, Outbox(1, store));
    tbb::parallel_for(size_t(0), by_range.size(), [&](size_t r) {
      runs->merge_range(splitters, r, [&](std::string_view key, u64 total, u64 volumes) {
        by_range[r].add(0, {key, 0, total, volumes});
      });
      by_range[r].seal(0);
    });
    runs.reset();
    for (Outbox& box : by_range)
      for (OutgoingBlock& b : box.blocks[0]) queue[0].push_back(std::move(b));
  }
  local = Totals();

  // Rank 0 adds what each rank sends, in order, to runs of its own after
  // its local ones; the ordered output merges them all as one process's.
  if (rank == 0 && !runs) runs = std::make_unique<OrderedRuns>(settings.budget.runs, settings.temp_dir);
  std::vector<u64> next_order(ranks);
  for (int r = 0; r < ranks; r++) next_order[r] = RECEIVED_RUN_ORDER + u64(r) * (u64(1) << 40);
  std::vector<OrderedRun*> receiving(ranks, nullptr);
  exchange_rounds(cluster, queue, store, stats, [&](int source, std::string_view part) {
    std::string records;
    for (std::string_view block : split_blocks(part)) {
      records.clear();
      decode_block(block.data(), block.size(), records);
      for (const char *p = records.data(), *end = p + records.size(); p < end;) {
        OrderedRun*& run = receiving[source];
        if (!run) run = &runs->run(next_order[source]++);
        FlatEntry e = FlatTable::decode(p, end);
        run->add(e.key, e.count, e.volumes);
        if (run->bytes() >= RECEIVED_RUN_BYTES) {
          runs->finished(*run);
          run = nullptr;
        }
      }
    }
  });
  Totals result;
  if (rank == 0) {
    for (OrderedRun* run : receiving)
      if (run) runs->finished(*run);
    runs->seal();
    result = Totals(std::move(runs), settings.jobs);
  }
  stats.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ngfreq::detail
