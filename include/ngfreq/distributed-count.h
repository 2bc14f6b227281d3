// A count across the ranks of a Cluster (cluster.h), the steps run_count
// adds when it has more than one rank:
//
// 1. Each rank keeps its share of the work (a contiguous run of the plain
//    partitions, and whole stream inputs) and maps it with its own threads
//    or worker processes into its own reducer.
// 2. Progress: unless it is off, the ranks sum their counters a few times
//    a second, and rank 0 shows the sums.
// 3. Every rank's map reports go to every rank, so each picks the same
//    earliest bad line, with its line number, as one process would.
// 4. Shuffle: each rank's combined totals go, record by record, to the rank
//    that owns their hash partition, in bounded rounds of record blocks
//    (record-block.h); an owner sums what it receives with the partitioned
//    reducer, which spills past the memory limit.
// 5. A sorted listing (-o): the owners send their sums to rank 0, which
//    receives them the same way and writes the output as one process
//    would: byte for byte the same. When the inputs are sorted (Google's
//    formats, --reduce ordered) there is no shuffle: each rank merges its
//    ordered runs and sends them to rank 0 in key order, and rank 0
//    merges them with its own, without a sort (gather_ordered). Sorting needs every key in one place
//    anyway, and one writer keeps the output file atomic; rank 0's output
//    time is that of one process. Everything else (-w, --top, the summary)
//    each owner answers for its own keys, and the answers are joined
//    (combine_answers), so that only a few rows cross the network. A
//    query of words alone skips the shuffle: each rank's rows for the
//    words add up.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "ngfreq/cluster.h"
#include "ngfreq/count-answer.h"
#include "ngfreq/count-job.h"
#include "ngfreq/progress.h"
#include "ngfreq/reducer.h"
#include "ngfreq/totals.h"

namespace ngfreq::detail {

/// Leaves in `job` only the work of `cluster.rank()`. Collective: every
/// rank calls it once its job is planned.
void keep_rank_share(CountJob& job, Cluster& cluster);

/// Sends this rank's map reports to every rank and adds theirs to `job`.
void share_reports(CountJob& job, Cluster& cluster);

/// One progress counter for the whole job: a thread that sums every
/// rank's counters (a periodic reduction) into global().
class ClusterProgress {
 public:
  ClusterProgress(Cluster& cluster, const ProgressCounters& local);
  /// Calls finish(), swallowing its error; while an exception unwinds,
  /// only waits for the thread's current sum.
  ~ClusterProgress();
  ClusterProgress(const ClusterProgress&) = delete;
  ClusterProgress& operator=(const ClusterProgress&) = delete;

  const ProgressCounters& global() const { return global_; }
  /// This rank's maps are done; returns once every rank's are.
  void finish();

 private:
  void run();

  Cluster& cluster_;
  const ProgressCounters& local_;
  ProgressCounters global_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  bool abandoned_ = false;  // this rank failed: stop summing at once
  std::exception_ptr error_;
  std::thread thread_;
};

/// What one rank's exchange of totals moved.
struct ExchangeStats {
  i64 bytes_sent = 0;  // compressed record blocks, to other ranks
  i64 bytes_received = 0;
  i64 rounds = 0;
  double seconds = 0;
};

/// The ranks of a job send each total of `from` to rank destination(hash)
/// and sum what they receive into the returned totals (partitioned, within
/// `settings`' memory budget). `from` is consumed.
Totals exchange_totals(Totals from, Cluster& cluster, const std::function<int(u64 hash)>& destination,
                       const PartitionedSettings& settings, ExchangeStats& stats);

/// The sorted listing's gather when every rank's totals are ordered runs
/// (sorted Google inputs, --reduce ordered): each rank merges its runs in
/// key order and sends them to rank 0, which keeps them as runs of its
/// own: no hash shuffle, no sort, and rank 0 writes the output as one
/// process merges its runs. Returns rank 0 every total, the others none.
Totals gather_ordered(Totals local, Cluster& cluster, const PartitionedSettings& settings,
                      ExchangeStats& stats);

/// The whole job's answer, on every rank, from every rank's answer for the
/// keys it owns (or, unshuffled, for its own totals of the words): a
/// word's rows add up, the top K are the K best of every rank's K best,
/// and the summaries add up.
CountAnswer combine_answers(CountAnswer mine, const AnswerRequest& request, Cluster& cluster);

/// The rank that owns the totals of keys with `hash` in the shuffle: by
/// level-1 sub-partition (partition-runs.h), 1,024 units dealt round-robin.
int owner_rank(u64 hash, int ranks);

/// Bytes a rank sends to one peer in one exchange round at most:
/// max(1 MiB, EXCHANGE_ROUND_BYTES / ranks), and never so much that the
/// round's counts and displacements reach 2^31.
inline constexpr i64 EXCHANGE_ROUND_BYTES = i64(64) << 20;
i64 exchange_bytes_per_peer(int ranks);

}  // namespace ngfreq::detail
