// run_agreed: the one step after which every rank knows whether any failed.
#include "ngfreq/cluster.h"

#include <exception>

namespace ngfreq {

void run_agreed(Cluster* cluster, const std::function<void()>& step) {
  std::exception_ptr error;
  try {
    step();
  } catch (...) {
    error = std::current_exception();
  }
  if (!cluster || cluster->size() == 1) {
    if (error) std::rethrow_exception(error);
    return;
  }
  cluster->started = true;
  i64 failed = cluster->all_sum({error ? 1 : 0})[0];
  if (failed == 0) return;
  cluster->known_failure = true;
  cluster->agreed_failure = failed == cluster->size();
  if (!error) throw PeerFailed();
  std::rethrow_exception(error);
}

}  // namespace ngfreq
