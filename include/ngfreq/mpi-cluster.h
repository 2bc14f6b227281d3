// The Cluster of an Open MPI job: `mpirun -np N ngfreq count ...` runs N
// ranks of one count; without mpirun, ngfreq runs alone, as it always did.
#pragma once

#include <memory>

#include "ngfreq/cluster.h"

namespace ngfreq {

/// Whether this binary was built with MPI.
bool mpi_available();

/// Joins the MPI job this process was started in by mpirun (MPI_Init), or
/// returns nullptr when it was not started by mpirun or the binary has no
/// MPI. MPI_Finalize runs when the cluster is destroyed.
std::unique_ptr<Cluster> join_mpi_job(int& argc, char**& argv);

/// Ends every rank of the job at once (MPI_Abort): the way out of an error
/// that the other ranks do not know of, which would leave them waiting in a
/// collective forever.
[[noreturn]] void abort_mpi_job(int status);

}  // namespace ngfreq
