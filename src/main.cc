// The ngfreq command line: parses options with CLI11, runs a subcommand
// (src/cli/, a file each), and is the one place that catches exceptions and
// turns them into "ngfreq: error: ..." and an exit status (1 data or I/O,
// 2 usage).
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>

#include "cli/bench.h"
#include "cli/count.h"
#include "cli/generate.h"
#include "cli/series.h"
#include "cli/tune.h"
#include "ngfreq/mpi-cluster.h"
#include "ngfreq/output-file.h"
#include "ngfreq/process-pool.h"

using namespace ngfreq;
using namespace ngfreq::cli;

namespace {

// What limited memory, for the out-of-memory message: ulimit -v when set.
std::string address_space_note() {
  rlimit lim{};
  if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return "";
  return fmt::format(" (the address space limit, ulimit -v, is {} MB)", lim.rlim_cur >> 20);
}

void on_signal(int sig) {
  // Stop the process executor's workers, leave no half-written output
  // behind, then die with the conventional status (128 + signal number).
  detail::kill_worker_processes();
  remove_temporary_outputs();
  _exit(128 + sig);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A file size limit (ulimit -f) must fail a write with EFBIG, reported
  // as an I/O error like a full disk, not kill the process silently.
  signal(SIGXFSZ, SIG_IGN);
}

// How an error ends one rank of an MPI job (cluster.h): rank 0 reports an
// error every rank raised alike (a usage error, the earliest bad line) and
// the others stay quiet; an error every rank knows of is reported by the
// rank that had it; an error of one rank alone is reported by that rank,
// which then ends the whole job, since the others would wait for it
// forever.
int fail(Cluster* cluster, bool agreed, int status, const std::string& message) {
  bool alone = !cluster || cluster->size() == 1;
  if (alone || agreed) {
    if (alone || cluster->rank() == 0) fmt::print(stderr, "ngfreq: error: {}\n", message);
    return status;
  }
  fmt::print(stderr, "ngfreq: error (rank {} of {}): {}\n", cluster->rank(), cluster->size(), message);
  if (cluster->known_failure) return status;
  std::fflush(stderr);
  remove_temporary_outputs();
  abort_mpi_job(status);
}

}  // namespace

int main(int argc, char** argv) {
  install_signal_handlers();
  // Under mpirun, this process is one rank of a count (mpi-cluster.h).
  std::unique_ptr<Cluster> cluster;
  try {
    cluster = join_mpi_job(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    return 2;
  }
  CLI::App app{"ngfreq: n-gram frequencies of the Google Books Ngram corpus, in parallel"};
  app.require_subcommand(1);
  app.set_version_flag("--version", mpi_available() ? "ngfreq 0.1.0 (with Open MPI)" : "ngfreq 0.1.0");
  CountCli count_cli;
  GenerateCli generate_cli;
  add_count_command(app, count_cli);
  SeriesCli series_cli;
  add_series_command(app, series_cli);
  add_generate_command(app, generate_cli);
  TuneCli tune_cli;
  BenchCli bench_cli;
  add_tune_command(app, tune_cli);
  add_bench_command(app, bench_cli);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    if (cluster && cluster->rank() != 0) return 2;  // every rank parsed the same line
    fmt::print(stderr, "ngfreq: error: {}\n", e.what());
    fmt::print(stderr, "Run 'ngfreq --help' or 'ngfreq SUBCOMMAND --help' for usage.\n");
    return 2;
  }

  count_cli.opts.cluster = cluster.get();
  try {
    if (cluster && cluster->size() > 1 && !app.got_subcommand("count"))
      throw UsageError("under mpirun, only 'ngfreq count' runs across ranks: run this command alone");
    if (app.got_subcommand("count"))
      run_count_command(*app.get_subcommand("count"), count_cli);
    else if (app.got_subcommand("series"))
      run_series_command(*app.get_subcommand("series"), series_cli);
    else if (app.got_subcommand("generate"))
      run_generate_command(generate_cli);
    else if (app.got_subcommand("tune"))
      run_tune_command(tune_cli);
    else if (app.got_subcommand("bench"))
      run_bench_command(bench_cli);
  } catch (const PeerFailed&) {
    return 1;  // the rank that failed says why
  } catch (const UsageError& e) {
    // Before the first exchange, every rank raised it alike.
    return fail(cluster.get(), !cluster || !cluster->started || cluster->agreed_failure, 2, e.what());
  } catch (const std::bad_alloc&) {
    return fail(cluster.get(), false, 1, "out of memory" + address_space_note());
  } catch (const std::exception& e) {
    return fail(cluster.get(), cluster && cluster->agreed_failure, 1, e.what());
  }
  return 0;
}
