// The ranks of a count that runs across machines: the few collective
// operations a distributed count needs (distributed-count.h), behind an
// interface so that the core builds and runs without MPI; mpi-cluster.h
// implements it on Open MPI.
//
// Every call is collective: every rank makes it, in the same order.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"

namespace ngfreq {

class Cluster {
 public:
  virtual ~Cluster() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  /// Every rank's `mine`, in rank order.
  virtual std::vector<std::string> all_gather(const std::string& mine) = 0;
  /// The element-wise sums of every rank's `values` (all the same length).
  virtual std::vector<i64> all_sum(const std::vector<i64>& values) = 0;
  /// One exchange: `outgoing` holds the bytes for rank 0, then rank 1, ...,
  /// `lengths[r]` of them for rank r; returns what rank r sent here as
  /// result[r], views into a buffer the cluster reuses: valid until the
  /// next call. Each rank's outgoing bytes must stay below
  /// MAX_EXCHANGE_BYTES (MPI counts and displacements are ints).
  virtual std::vector<std::string_view> all_to_all(std::string_view outgoing,
                                                   const std::vector<i64>& lengths) = 0;

  /// How an error ends a rank (main.cc). Set before an error that every
  /// rank raises alike (the earliest bad line, found from every rank's
  /// reports): rank 0 alone reports it.
  bool agreed_failure = false;
  /// Set before an error that every rank knows of (run_agreed): each rank
  /// reports its own, and none needs to abort the others. An error with
  /// neither flag is one rank's alone: it aborts the job, or the others
  /// would wait for it forever.
  bool known_failure = false;
  /// Set by the first run_agreed: before it, every rank runs the same
  /// checks of the same command line, so a usage error is every rank's.
  bool started = false;
};

/// Thrown on the ranks whose step went well when another rank's failed
/// (run_agreed); that rank reports its error.
class PeerFailed : public Error {
 public:
  PeerFailed() : Error("another rank failed") {}
};

/// Runs `step` on this rank, then tells every rank whether it failed on
/// any (one MPI_Allreduce), so that none goes on to wait for a rank that
/// gave up: a rank whose step threw rethrows its error, agreed when every
/// rank's step threw; the others throw PeerFailed. Without a cluster of two
/// or more ranks it only runs `step`.
void run_agreed(Cluster* cluster, const std::function<void()>& step);

/// The bytes one rank may put into one all_to_all, all peers together.
inline constexpr i64 MAX_EXCHANGE_BYTES = (i64(1) << 31) - 1;

}  // namespace ngfreq
