// The serial and thread executors.
//
// Thread: plain partitions go to a tbb::parallel_pipeline in input order; each stream input
// (gzip, pipe) runs a tbb::parallel_pipeline whose serial first stage
// inflates and cuts line-aligned chunks while the parallel second stage maps
// earlier chunks. The pipeline's token limit bounds the chunks in flight, so
// memory stays flat however long the stream. Plain partitions and streams
// run at the same time, so a small file beside a big one never idles a core.
#include "ngfreq/executor.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for_each.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_group.h>

namespace ngfreq::detail {

namespace {

class SerialExecutor : public Executor {
 public:
  void map_all(CountJob& job, Reducer& reducer) override {
    for (const Partition& p : job.partitions) {
      u64 order = input_order(p.file_index, p.index);
      reducer.map(order, [&](FreqTable& t) { map_partition(job, p, t); });
      reducer.done(order);
    }
    for (i64 file : job.stream_inputs) {
      StreamReader reader(job, file);
      i64 index;
      ChunkBuffer chunk;
      while (reader.next(index, chunk)) {
        reducer.map(input_order(file, index), [&](FreqTable& t) { map_chunk(job, file, index, chunk, t); });
        job.buffers.give_back(std::move(chunk));
        reducer.done(input_order(file, index));
      }
    }
  }
  bool parallel() const override { return false; }
};

// Chunks in flight per worker in a stream pipeline: one being cut, one
// being mapped, one waiting, so neither stage starves.
static constexpr int TOKENS_PER_JOB = 2;

class ThreadExecutor : public Executor {
 public:
  explicit ThreadExecutor(int jobs)
      : jobs_(jobs), limit_(tbb::global_control::max_allowed_parallelism, jobs) {}

  void map_all(CountJob& job, Reducer& reducer) override {
    tbb::task_group group;
    group.run([&] { map_partitions(job, reducer); });
    group.run([&] {
      tbb::parallel_for_each(job.stream_inputs, [&](i64 file) { map_stream(job, file, reducer); });
    });
    group.wait();
  }
  bool parallel() const override { return true; }

 private:
  // Partitions are taken in input order and handed to reducer.done() in
  // that order, at most TOKENS_PER_JOB a thread at once: an ordered stream
  // then holds a few partitions' rows, and writes them as they come.
  void map_partitions(CountJob& job, Reducer& reducer) {
    size_t next = 0;
    tbb::parallel_pipeline(
        jobs_ * TOKENS_PER_JOB + 1,
        tbb::make_filter<void, Partition*>(tbb::filter_mode::serial_in_order,
                                           [&](tbb::flow_control& fc) -> Partition* {
                                             if (next == job.partitions.size()) {
                                               fc.stop();
                                               return nullptr;
                                             }
                                             return &job.partitions[next++];
                                           }) &
            tbb::make_filter<Partition*, Partition*>(tbb::filter_mode::parallel,
                                                     [&](Partition* p) {
                                                       reducer.map(
                                                           input_order(p->file_index, p->index),
                                                           [&](FreqTable& t) { map_partition(job, *p, t); });
                                                       return p;
                                                     }) &
            tbb::make_filter<Partition*, void>(tbb::filter_mode::serial_in_order, [&](Partition* p) {
              reducer.done(input_order(p->file_index, p->index));
            }));
  }

  struct Chunk {
    i64 index = 0;
    ChunkBuffer buffer;
  };

  void map_stream(CountJob& job, i64 file, Reducer& reducer) {
    StreamReader reader(job, file);
    tbb::parallel_pipeline(
        jobs_ * TOKENS_PER_JOB + 1,
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Chunk* {
                                         auto chunk = std::make_unique<Chunk>();
                                         if (!reader.next(chunk->index, chunk->buffer)) {
                                           fc.stop();
                                           return nullptr;
                                         }
                                         return chunk.release();
                                       }) &
            tbb::make_filter<Chunk*, i64>(tbb::filter_mode::parallel,
                                          [&](Chunk* raw) {
                                            std::unique_ptr<Chunk> chunk(raw);
                                            reducer.map(input_order(file, chunk->index), [&](FreqTable& t) {
                                              map_chunk(job, file, chunk->index, chunk->buffer, t);
                                            });
                                            job.buffers.give_back(std::move(chunk->buffer));
                                            return chunk->index;
                                          }) &
            tbb::make_filter<i64, void>(tbb::filter_mode::serial_in_order,
                                        [&](i64 index) { reducer.done(input_order(file, index)); }));
  }

  int jobs_;
  tbb::global_control limit_;
};

}  // namespace

std::unique_ptr<Executor> make_executor(CountJob& job) {
  switch (job.opts.executor) {
  case ExecutorKind::serial: return std::make_unique<SerialExecutor>();
  case ExecutorKind::thread: return std::make_unique<ThreadExecutor>(job.jobs);
  case ExecutorKind::process: return make_process_executor(job);
  }
  return nullptr;
}

}  // namespace ngfreq::detail
