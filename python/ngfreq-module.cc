// The Python module: `import ngfreq` (README, "Python"). A thin client of
// ngfreq.h, as the CLI is.
//
// The count runs on a thread of its own with the GIL released, while the
// calling thread waits in short steps: between them it takes the GIL to
// call the progress callback and to let Python see signals, because only
// the main thread receives them. Ctrl-C (KeyboardInterrupt), or any
// exception the callback raises, cancels the count and is raised once the
// count has stopped.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "ngfreq/byte-size.h"
#include "ngfreq/ngfreq.h"

namespace py = pybind11;
using namespace ngfreq;

namespace {

// How often the waiting thread wakes for signals and progress.
constexpr auto POLL = std::chrono::milliseconds(100);

// Runs work(request) (count_ngrams, series_ngrams) on a thread; the
// caller holds the GIL.
template <class Request, class Work>
auto run_with_python(Request request, const py::object& progress, Work work) -> decltype(work(request)) {
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::optional<ProgressSnapshot> latest;  // none until the count first reports
  request.cancel = &cancel;
  request.progress = [&](const ProgressSnapshot& s) {
    std::lock_guard lock(mutex);
    latest = s;
  };
  decltype(work(request)) report;
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      report = work(request);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(mutex);
    done = true;
    done_cv.notify_all();
  });

  std::optional<py::error_already_set> python_error;
  i64 reported = -1;  // partitions_done last passed to `progress`
  for (;;) {
    bool finished;
    std::optional<ProgressSnapshot> s;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mutex);
      finished = done_cv.wait_for(lock, POLL, [&] { return done; });
      s = latest;
    }
    if (finished) break;
    if (python_error) continue;  // cancelled: wait for the count to stop
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none() && s && s->partitions_done != reported) {
        reported = s->partitions_done;
        progress(s->partitions_done, s->partitions_total);
      }
    } catch (py::error_already_set& e) {
      python_error.emplace(std::move(e));
      cancel = true;
    }
  }
  worker.join();
  if (python_error) throw std::move(*python_error);
  if (failure) std::rethrow_exception(failure);
  // The last state, which the count reports as it ends: done == total.
  if (!progress.is_none() && latest) progress(latest->partitions_done, latest->partitions_total);
  return report;
}

// Bytes that are not UTF-8 come back as lone surrogates (Python's
// surrogateescape): .encode("utf-8", "surrogateescape") restores them.
py::object to_str(const std::string& bytes) {
  return py::reinterpret_steal<py::object>(
      PyUnicode_DecodeUTF8(bytes.data(), Py_ssize_t(bytes.size()), "surrogateescape"));
}

// A UserWarning; the message may hold bytes that are not UTF-8 (paths,
// n-grams), which come through as to_str gives them.
void warn(const std::string& message) {
  py::module_::import("warnings").attr("warn")(to_str(message), py::handle(PyExc_UserWarning));
}

// A DataFrame when pandas imports, else the dict of columns itself.
py::object frame(const py::dict& columns) {
  py::object pandas;
  try {
    pandas = py::module_::import("pandas");
  } catch (py::error_already_set&) {
    return columns;
  }
  return pandas.attr("DataFrame")(columns);
}

// The report's figures as a dict, for DataFrame.attrs["stats"].
py::dict stats_dict(const CountReport::Stats& st) {
  py::dict d;
  d["lines"] = st.lines;
  d["input_bytes"] = st.input_bytes;
  d["file_bytes"] = st.file_bytes;
  d["distinct"] = st.distinct;
  d["matches"] = st.matches;
  d["skipped_lines"] = st.skipped_lines;
  py::list first_skipped;
  for (const std::string& line : st.first_skipped) first_skipped.append(to_str(line));
  d["first_skipped"] = first_skipped;
  d["jobs"] = st.jobs;
  d["partitions"] = st.partitions;
  d["spilled_bytes"] = st.spilled_bytes;
  d["map_seconds"] = st.map_seconds;
  d["reduce_seconds"] = st.reduce_seconds;
  d["output_seconds"] = st.output_seconds;
  d["seconds"] = st.seconds;
  return d;
}

// ngram[, year], total, volumes; the stats in DataFrame.attrs["stats"]; a
// warning when malformed lines were skipped.
py::object table(const CountReport& report, const std::vector<NgramRow>& rows, bool by_year) {
  py::list ngram, year, total, volumes;
  for (const NgramRow& r : rows) {
    ngram.append(to_str(r.ngram));
    if (by_year) year.append(r.year);
    total.append(r.total);
    volumes.append(r.volumes);
  }
  py::dict columns;
  columns["ngram"] = ngram;
  if (by_year) columns["year"] = year;
  columns["total"] = total;
  columns["volumes"] = volumes;
  const CountReport::Stats& st = report.stats;
  if (st.skipped_lines > 0) {
    std::string message = "skipped " + std::to_string(st.skipped_lines) + " malformed line(s)";
    if (!st.first_skipped.empty()) message += ", the first: " + st.first_skipped.front();
    warn(message);
  }
  py::object out = frame(columns);
  if (!py::isinstance<py::dict>(out)) out.attr("attrs")["stats"] = stats_dict(st);
  return out;
}

// A size in bytes, or a string as the CLI takes one ("2G").
i64 size_argument(const py::object& value, const char* name) {
  if (value.is_none()) return 0;
  if (py::isinstance<py::str>(value)) return parse_size(value.cast<std::string>(), name);
  // bool is an int to Python: True is no size.
  if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value))
    throw py::type_error(std::string(name) + " must be a number of bytes or a size such as '2G'");
  i64 bytes = value.cast<i64>();
  if (bytes <= 0) throw py::value_error(std::string(name) + " must be positive");
  return bytes;
}

// year, then a column a curve, as the CLI's TSV.
py::object series_table(const SeriesReport& report) {
  py::dict columns;
  columns["year"] = py::cast(report.years);
  for (size_t q = 0; q < report.labels.size(); q++)
    columns[to_str(report.labels[q])] = py::cast(report.values[q]);
  for (const std::string& q : report.unmatched) warn("the wildcard query '" + q + "' matched no n-gram");
  return frame(columns);
}

// A str as its UTF-8 bytes, lone surrogates back to the bytes they stand
// for (surrogateescape, as os.fsencode does); bytes as they are; a path
// object through os.fspath.
std::string to_bytes(const py::handle& value) {
  py::object v = py::module_::import("os").attr("fspath")(value);
  if (py::isinstance<py::bytes>(v)) return v.cast<std::string>();
  return v.attr("encode")("utf-8", "surrogateescape").cast<std::string>();
}

std::vector<std::string> to_bytes_list(const py::iterable& values) {
  std::vector<std::string> out;
  for (py::handle v : values) out.push_back(to_bytes(v));
  return out;
}

// The fields that count, lookup and series share.
template <class Request>
Request make_request(const py::iterable& paths, std::optional<i64> since, std::optional<i64> until,
                     bool ignore_case, const std::string& tags, int jobs) {
  Request r;
  r.paths = to_bytes_list(paths);
  r.since = since;
  r.until = until;
  r.ignore_case = ignore_case;
  r.tags = tags;
  r.jobs = jobs;
  return r;
}

}  // namespace

PYBIND11_MODULE(ngfreq, m) {
  m.doc() = "n-gram frequencies of the Google Books Ngram corpus (and of any text), counted in parallel";

  static py::exception<Error> error_class(m, "Error");
  static py::exception<InputError> input_error_class(m, "InputError", error_class.ptr());
  static py::exception<Cancelled> cancelled_class(m, "Cancelled", error_class.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      // The exception carries its parts: path, line (0 for a byte
      // offset), where and reason.
      // Paths and lines are bytes: through to_str, as n-grams are.
      py::object exc = py::reinterpret_borrow<py::object>(input_error_class.ptr())(to_str(e.what()));
      exc.attr("path") = to_str(e.path());
      exc.attr("line") = e.line();
      exc.attr("where") = to_str(e.where());
      exc.attr("reason") = to_str(e.reason());
      PyErr_SetObject(input_error_class.ptr(), exc.ptr());
    } catch (const Cancelled& e) {
      PyErr_SetObject(cancelled_class.ptr(), to_str(e.what()).ptr());
    } catch (const UsageError& e) {
      PyErr_SetObject(PyExc_ValueError, to_str(e.what()).ptr());
    } catch (const Error& e) {
      PyErr_SetObject(error_class.ptr(), to_str(e.what()).ptr());
    }
  });

  m.def(
      "count",
      [](const py::iterable& paths, std::optional<i64> since, std::optional<i64> until, bool by_year,
         bool ignore_case, const std::string& tags, int jobs, u64 min_count, i64 top, int ngram,
         const std::string& on_error, const py::object& memory_limit, const py::object& progress) {
        auto r = make_request<CountRequest>(paths, since, until, ignore_case, tags, jobs);
        r.by_year = by_year;
        r.min_count = min_count;
        r.top = top;
        r.ngram = ngram;
        if (on_error != "fail" && on_error != "skip")
          throw py::value_error("on_error must be 'fail' or 'skip', not '" + on_error + "'");
        r.skip_bad_lines = on_error == "skip";
        r.memory_limit = size_argument(memory_limit, "memory_limit");
        CountReport report = run_with_python(r, progress, count_ngrams);
        return table(report, top > 0 ? report.top : report.rows, by_year);
      },
      py::arg("paths"), py::kw_only(), py::arg("since") = py::none(), py::arg("until") = py::none(),
      py::arg("by_year") = false, py::arg("ignore_case") = false, py::arg("tags") = "keep",
      py::arg("jobs") = 0, py::arg("min_count") = 0, py::arg("top") = 0, py::arg("ngram") = 1,
      py::arg("on_error") = "fail", py::arg("memory_limit") = py::none(), py::arg("progress") = py::none(),
      "Every n-gram of `paths` (files or directories: v1, v2, v3, plain or gzip, or text) and its total,\n"
      "sorted by bytes: a pandas DataFrame (ngram[, year], total, volumes), or a dict of those columns\n"
      "when pandas is absent. top=K: only the K largest totals, largest first. ngram: words an n-gram\n"
      "of text. on_error='skip' leaves malformed lines out, with a warning. memory_limit (bytes or\n"
      "'2G'): past it the count spills to disk. The DataFrame's attrs['stats'] holds the run's figures\n"
      "(lines, distinct, matches, skipped_lines, seconds ...). progress(done, total) is called as\n"
      "partitions finish.");
  m.def(
      "lookup",
      [](const py::iterable& paths, const py::iterable& words, std::optional<i64> since,
         std::optional<i64> until, bool by_year, bool ignore_case, const std::string& tags, int jobs,
         const py::object& progress) {
        auto r = make_request<CountRequest>(paths, since, until, ignore_case, tags, jobs);
        r.by_year = by_year;
        r.words = to_bytes_list(words);
        CountReport report = run_with_python(r, progress, count_ngrams);
        return table(report, report.rows, by_year);
      },
      py::arg("paths"), py::arg("words"), py::kw_only(), py::arg("since") = py::none(),
      py::arg("until") = py::none(), py::arg("by_year") = false, py::arg("ignore_case") = false,
      py::arg("tags") = "keep", py::arg("jobs") = 0, py::arg("progress") = py::none(),
      "The totals of `words` (str or bytes) only, in their order (0 for a word that is absent; with by_year, "
      "a row\n"
      "a year the word has).");
  m.def(
      "series",
      [](const py::iterable& paths, const py::iterable& queries, std::optional<std::string> totals,
         std::optional<std::string> value, const std::string& per, int smoothing, std::optional<i64> since,
         std::optional<i64> until, bool ignore_case, const std::string& tags, int jobs, int expand,
         const py::object& progress) {
        auto r = make_request<SeriesRequest>(paths, since, until, ignore_case, tags, jobs);
        r.queries = to_bytes_list(queries);
        if (totals) r.totals = *totals;
        if (value) r.value = *value;
        r.per = per;
        r.smoothing = smoothing;
        r.expand = expand;
        return series_table(run_with_python(r, progress, series_ngrams));
      },
      py::arg("paths"), py::arg("queries"), py::kw_only(), py::arg("totals") = py::none(),
      py::arg("value") = py::none(), py::arg("per") = "percent", py::arg("smoothing") = 0,
      py::arg("since") = py::none(), py::arg("until") = py::none(), py::arg("ignore_case") = false,
      py::arg("tags") = "keep", py::arg("jobs") = 0, py::arg("expand") = 10, py::arg("progress") = py::none(),
      "The Ngram Viewer's curves, as `ngfreq series`: a column `year`, then a column a query (a group\n"
      "`a|b` is one curve; a wildcard `Aard*` becomes its `expand` most frequent n-grams). value:\n"
      "count, volumes or relative (the share of the year's matches in the `totals` file, the default\n"
      "when it is given), per percent, million or fraction; smoothing: the Viewer's moving average.");
}
