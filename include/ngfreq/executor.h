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

std::unique_ptr<Executor> make_executor(ExecutorKind kind, int jobs);

}  // namespace ngfreq::detail
