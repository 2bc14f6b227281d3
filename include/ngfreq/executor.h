// The executor front end: one interface, chosen at run time, that runs the
// map tasks of a count job and feeds their tables to the reducer.
#pragma once

#include <memory>

#include "ngfreq/count-job.h"
#include "ngfreq/reducer.h"

namespace ngfreq::detail {

class Executor {
 public:
  virtual ~Executor() = default;
  /// Maps every partition and stream chunk of `job`, handing each table to
  /// `reducer` as soon as it is ready; returns when all maps are done.
  virtual void map_all(CountJob& job, Reducer& reducer) = 0;
  /// Whether merges may use the thread pool.
  virtual bool parallel() const = 0;
};

/// The executor `job.opts.executor` names, with `job.jobs` workers. The
/// process executor forks its workers here, so this must run before the
/// caller starts any oneTBB algorithm (see process-executor.cc).
std::unique_ptr<Executor> make_executor(CountJob& job);

/// Forks `job.jobs` worker processes.
std::unique_ptr<Executor> make_process_executor(CountJob& job);

}  // namespace ngfreq::detail
