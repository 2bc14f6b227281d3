// The map step shared by every executor, and the bookkeeping that turns
// per-partition reports into one deterministic error: the earliest in input
// order, with its line number counted as 1 + the lines of every earlier
// partition of its file + its index within its partition.
#include "ngfreq/count-job.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "ngfreq/shared-memory.h"

namespace ngfreq::detail {

// The bytes the maps will parse, for the partition-size heuristic. A gzip
// file is counted as GZIP_RATIO times its size (Google's n-gram files
// inflate about 4-5x); a pipe's length is unknown, so it counts as large,
// which keeps its chunks at the largest default size.
i64 estimated_input_bytes(const std::vector<InputFile>& inputs) {
  constexpr i64 GZIP_RATIO = 4;
  constexpr i64 UNKNOWN_STREAM = i64(1) << 40;
  i64 total = 0;
  for (const InputFile& f : inputs)
    total += f.seekable ? f.size : f.gzip ? f.size * GZIP_RATIO : UNKNOWN_STREAM;
  return total;
}

// Whether some input is read as a stream of chunks (gzip or a pipe).
static bool has_sequential_input(const std::vector<InputFile>& inputs) {
  return std::any_of(inputs.begin(), inputs.end(), [](const InputFile& f) { return !f.seekable; });
}

// The first bytes of a file or gzip file, enough to tell its format.
static std::string read_head(const InputFile& in, Inflater inflater) {
  constexpr i64 HEAD_BYTES = 64 << 10;
  std::string head(HEAD_BYTES, '\0');
  i64 n = 0;
  if (in.seekable) {
    UniqueFd fd(open_input(in.path));
    ssize_t got = pread(fd.get(), head.data(), HEAD_BYTES, 0);
    if (got < 0) throw Error(fmt::format("cannot read '{}': {}", in.path, errno_string()));
    n = got;
  } else {
    std::unique_ptr<ByteSource> source = open_byte_source(in, inflater);
    while (n < HEAD_BYTES) {
      i64 got = source->read(head.data() + n, HEAD_BYTES - n);
      if (got == 0) break;
      n += got;
    }
  }
  head.resize(n);
  return head;
}

static bool years_filtered(const YearFilter& y) {
  return y.since != YearFilter{}.since || y.until != YearFilter{}.until;
}

void CountJob::resolve_format(InputFile& in, std::string_view head) const {
  in.format = opts.format != Format::automatic ? opts.format : detect_format(head, in.path);
  if (in.format == Format::text && (years_filtered(opts.years) || opts.keys.by_year))
    throw Error(
        fmt::format("'{}' is text, which has no years: --since, --until and --by-year apply to "
                    "v1, v2 and v3 files",
                    in.path == "-" ? "<stdin>" : in.path));
  if (in.format != Format::text && (opts.ngram != 1 || opts.tokenizer != Tokenizer::whitespace))
    throw Error(
        fmt::format("'{}' is {}, whose n-grams are counted as they are: --ngram and --tokenizer "
                    "apply to text (-f text)",
                    in.path == "-" ? "<stdin>" : in.path, format_name(in.format)));
}

CountJob::CountJob(const CountOptions& options, std::vector<InputFile> in, int workers)
    : opts(options), inputs(std::move(in)), jobs(workers) {
  map_options = {opts.years, opts.on_error, opts.keys, opts.tokenizer, opts.ngram};
  // A pipe cannot be peeked at: its format waits for its first chunk.
  for (InputFile& f : inputs)
    if (f.seekable || f.gzip)
      resolve_format(f, opts.format == Format::automatic ? read_head(f, opts.inflater) : "");
  partition_size = opts.partition_size > 0 ? opts.partition_size
                                           : default_partition_size(estimated_input_bytes(inputs), jobs,
                                                                    has_sequential_input(inputs));
  for (i64 i = 0; i < i64(inputs.size()); i++) {
    const InputFile& f = inputs[i];
    progress.bytes_total += f.size;
    if (f.seekable) {
      std::vector<Partition> parts = plan_partitions(i, f.size, partition_size);
      partitions.insert(partitions.end(), parts.begin(), parts.end());
    } else {
      stream_inputs.push_back(i);
      progress.streams_pending = true;
    }
  }
  progress.partitions_total = partitions.size();
}

void CountJob::report(MapReport r) {
  if (r.error || r.located_error) {
    u64 order = input_order(r.file_index, r.index);
    u64 seen = first_error_.load();
    while (order < seen && !first_error_.compare_exchange_weak(seen, order)) {
    }
  }
  std::lock_guard lock(mutex_);
  reports_.push_back(std::move(r));
}

std::vector<MapReport> CountJob::take_reports() {
  std::lock_guard lock(mutex_);
  return std::exchange(reports_, {});
}

void CountJob::throw_first_error() {
  std::lock_guard lock(mutex_);
  auto first = std::min_element(reports_.begin(), reports_.end(), [](const MapReport& a, const MapReport& b) {
    bool ea = a.error || a.located_error, eb = b.error || b.located_error;
    if (ea != eb) return ea;
    return input_order(a.file_index, a.index) < input_order(b.file_index, b.index);
  });
  if (first == reports_.end() || !(first->error || first->located_error)) return;
  if (first->located_error) throw Error(*first->located_error);
  i64 line = 1 + first->error->line_index;
  for (const MapReport& r : reports_)
    if (r.file_index == first->file_index && r.index < first->index) line += r.lines;
  throw InputError(inputs[first->file_index].path, line, first->error->reason);
}

SkippedLines CountJob::skipped_lines() {
  std::lock_guard lock(mutex_);
  std::vector<const MapReport*> ordered;
  for (const MapReport& r : reports_) ordered.push_back(&r);
  std::sort(ordered.begin(), ordered.end(), [](const MapReport* a, const MapReport* b) {
    return input_order(a->file_index, a->index) < input_order(b->file_index, b->index);
  });
  SkippedLines out;
  i64 file = -1, lines_before = 0;  // lines of the file's earlier partitions
  for (const MapReport* r : ordered) {
    if (r->file_index != file) {
      file = r->file_index;
      lines_before = 0;
    }
    out.count += r->skipped;
    for (const LineError& e : r->first_skipped)
      if (out.first.size() < MAX_NAMED_SKIPS)
        out.first.push_back(line_message(inputs[file].path, 1 + lines_before + e.line_index, e.reason));
    lines_before += r->lines;
  }
  return out;
}

// Records a map's outcome and progress; shared by both map kinds.
static void finish_map(CountJob& job, i64 file_index, i64 index, MapOutcome& outcome, i64 file_bytes) {
  job.lines += outcome.lines;
  job.report({file_index, index, outcome.lines, std::move(outcome.error), std::nullopt, outcome.skipped,
              std::move(outcome.first_skipped)});
  job.progress.partitions_done.fetch_add(1, std::memory_order_relaxed);
  job.progress.bytes_done.fetch_add(file_bytes, std::memory_order_relaxed);
}

// Parses one piece of text of input `file`, adding its lines and error to
// `outcome`.
static bool map_piece(CountJob& job, i64 file, std::string_view text, FreqTable& table, MapOutcome& outcome) {
  i64 start = now_ns();
  MapOutcome piece = map_text(job.inputs[file].format, text, job.map_options, table);
  job.map_ns += now_ns() - start;
  job.input_bytes += text.size();
  job.progress.bytes_parsed.fetch_add(text.size(), std::memory_order_relaxed);
  outcome.append(std::move(piece));
  return !outcome.error;
}

void map_partition(CountJob& job, const Partition& part, FreqTable& table) {
  if (job.pointless(input_order(part.file_index, part.index))) {
    job.progress.partitions_done.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const InputFile& in = job.inputs[part.file_index];
  UniqueFd fd(open_input(in.path));
  MapOutcome outcome(job.opts.on_error);
  PartitionReader reader(fd.get(), in.path, in.size, part);
  for (;;) {
    i64 start = now_ns();
    std::string_view text;
    bool more = reader.next(text);
    job.read_ns += now_ns() - start;
    if (!more || !map_piece(job, part.file_index, text, table, outcome)) break;
  }
  finish_map(job, part.file_index, part.index, outcome, part.end - part.begin);
}

void map_chunk(CountJob& job, i64 file_index, i64 index, std::string_view text, FreqTable& table) {
  MapOutcome outcome(job.opts.on_error);
  map_piece(job, file_index, text, table, outcome);
  finish_map(job, file_index, index, outcome, 0);
}

StreamReader::StreamReader(CountJob& job, i64 file_index) : job_(job), file_index_(file_index) {}

StreamReader::~StreamReader() = default;

void StreamReader::finish() {
  if (done_) return;
  done_ = true;
  if (first_read_ns_ == 0) return;
  job_.stream_wall_ns += now_ns() - first_read_ns_;
  job_.stream_read_ns += read_ns_;
}

bool StreamReader::next(i64& index, ChunkBuffer& out) {
  if (done_) return false;
  if (job_.pointless(input_order(file_index_, next_index_))) {
    finish();
    return false;
  }
  i64 start = now_ns();
  if (first_read_ns_ == 0) first_read_ns_ = start;
  try {
    if (!source_) {
      source_ = open_byte_source(job_.inputs[file_index_], job_.opts.inflater);
      chunker_ = std::make_unique<StreamChunker>(*source_, job_.partition_size, job_.buffers);
    }
    i64 offset = 0;
    bool got = chunker_->next(out, offset);
    InputFile& in = job_.inputs[file_index_];
    if (got && in.format == Format::automatic)
      job_.resolve_format(in, std::string_view(out.data(), out.size));
    i64 consumed = source_->consumed();
    job_.progress.bytes_done.fetch_add(consumed - consumed_, std::memory_order_relaxed);
    consumed_ = consumed;
    i64 spent = now_ns() - start;
    job_.read_ns += spent;
    read_ns_ += spent;
    if (!got) {
      finish();
      return false;
    }
  } catch (const InputError& e) {
    // Corrupt gzip data: ordered after every chunk already handed out.
    job_.report({file_index_, next_index_, 0, std::nullopt, std::string(e.what()), 0, {}});
    finish();
    return false;
  }
  job_.progress.partitions_total.fetch_add(1, std::memory_order_relaxed);
  index = next_index_++;
  return true;
}

}  // namespace ngfreq::detail
