#include "ngfreq/count-answer.h"

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <algorithm>

#include "ngfreq/answer-parts.h"
#include "ngfreq/external-sort.h"
#include "ngfreq/key-sink.h"
#include "ngfreq/ordered-stream.h"
#include "ngfreq/output.h"
#include "ngfreq/record-merge.h"

namespace ngfreq {

void sort_by_year(std::vector<Row>& rows) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return split_year_key(a.key).second < split_year_key(b.key).second;
  });
}

std::string u128_string(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), char('0' + int(v % 10)));
    v /= 10;
  }
  return s;
}

namespace {

// Rows of ordered runs merged in one key range.
constexpr i64 ORDERED_RANGE_ROWS = 256 << 10;

// The ordered runs' answer: the merge, range by range, feeds every part of
// the answer and, in order, the sorted output.
void answer_ordered(const OrderedRuns& runs, int jobs, const SortedOutput* sorted, AnswerParts& parts) {
  std::vector<std::string> splitters = runs.splitters(ORDERED_RANGE_ROWS);
  auto merge_range = [&](i64 r, std::string& text) {
    KeyOrderRows rows(parts, sorted, text);
    runs.merge_range(splitters, r,
                     [&](std::string_view key, u64 count, u64 volumes) { rows.add(key, count, volumes); });
    rows.finish();  // the candidates point into this range's blocks
  };
  write_ranges_in_order(splitters.size() + 1, jobs, merge_range, [&](const std::string& text) {
    if (sorted) sorted->file.write(text);
  });
}

}  // namespace

CountAnswer answer(Totals& totals, const AnswerRequest& request, int jobs, const SortedOutput* sorted) {
  if (OrderedStream* stream = totals.stream()) return stream->finish();
  AnswerParts parts(request);
  SpillStats sort_spill;
  if (const OrderedRuns* runs = totals.ordered_runs()) {
    answer_ordered(*runs, jobs, sorted, parts);
  } else {
    std::unique_ptr<ExternalSort> external;
    if (sorted && !totals.in_memory()) {
      // One range is merged in memory by each of `jobs` threads: a third of
      // a finalize task's share each leaves room for its rows' text.
      external = std::make_unique<ExternalSort>(totals.temp_dir(), totals.record_bytes(),
                                                totals.budget().task / 3, request.min_count);
    }
    totals.visit([&](const FreqShard& shard) {
      parts.words().add(shard);
      parts.top().add(shard);
      if (request.summary) {
        u128 sum = 0;
        for (const Entry& e : shard.entries()) sum += e.count;
        parts.add_summary(shard.size(), sum);
      }
      if (external) external->add(shard);
    });
    if (external) {
      external->write(sorted->file, sorted->layout, jobs);
      sort_spill = external->stats();
    } else if (sorted) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, jobs);
      std::vector<const Entry*> all = sorted_entries(totals.table(), request.min_count);
      write_rows(sorted->file, sorted->layout, all);
    }
  }
  CountAnswer out = parts.finish();
  out.sort_spill = sort_spill;
  return out;
}

}  // namespace ngfreq
