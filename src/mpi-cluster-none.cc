// Built when CMake found no MPI: ngfreq always runs alone.
#include <fmt/format.h>

#include <cstdlib>

#include "ngfreq/mpi-cluster.h"

namespace ngfreq {

bool mpi_available() { return false; }

std::unique_ptr<Cluster> join_mpi_job(int&, char**&) {
  // Each of N ranks would count everything and write the same output.
  const char* ranks = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (ranks && std::atoi(ranks) > 1)
    throw UsageError(
        fmt::format("started by mpirun with {} ranks, but this ngfreq was built without MPI "
                    "(install libopenmpi-dev and rebuild)",
                    ranks));
  return nullptr;
}

void abort_mpi_job(int status) { std::_Exit(status); }

}  // namespace ngfreq
