#include "generate/block-writer.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <memory>
#include <vector>

#include "generate/gzip-writer.h"
#include "ngfreq/output-file.h"

namespace ngfreq::generator {
namespace {

// At most a few blocks a thread are in flight; block b uses buffer
// b % in_flight, free again because blocks leave in order.
constexpr i64 BLOCKS_PER_THREAD_IN_FLIGHT = 3;

}  // namespace

i64 write_blocks(const GenerateOptions& opts, i64 count, const FormatBlock& format) {
  i64 in_flight = BLOCKS_PER_THREAD_IN_FLIGHT * tbb::this_task_arena::max_concurrency();
  std::vector<std::string> buffers(in_flight);

  OutputFile out(opts.output_path);
  std::unique_ptr<GzipWriter> gzip;
  if (opts.gzip) gzip = std::make_unique<GzipWriter>(out);

  i64 next = 0, bytes = 0;
  tbb::parallel_pipeline(
      in_flight,
      tbb::make_filter<void, i64>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> i64 {
        if (next == count) fc.stop();
        return next++;
      }) & tbb::make_filter<i64, i64>(tbb::filter_mode::parallel, [&](i64 b) {
        if (b < count) format(b, buffers[b % in_flight]);
        return b;
      }) & tbb::make_filter<i64, void>(tbb::filter_mode::serial_in_order, [&](i64 b) {
        if (b >= count) return;
        const std::string& buf = buffers[b % in_flight];
        bytes += buf.size();
        if (gzip)
          gzip->write(buf);
        else
          out.write(buf);
      }));
  if (gzip) gzip->finish();
  out.commit();
  return bytes;
}

}  // namespace ngfreq::generator
