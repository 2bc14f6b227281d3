// Cluster on Open MPI. Built only when CMake finds MPI; mpi-cluster-none.cc
// stands in otherwise.
#include "ngfreq/mpi-cluster.h"

#include <mpi.h>

#include <cstdlib>
#include <numeric>

namespace ngfreq {

namespace {

void check(int status, const char* what) {
  if (status == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(status, text, &len);
  throw Error(std::string(what) + " failed: " + std::string(text, len));
}

// Byte counts an MPI call takes as ints.
int as_count(i64 bytes) {
  if (bytes < 0 || bytes > MAX_EXCHANGE_BYTES) throw Error("an MPI exchange of more than 2^31 - 1 bytes");
  return int(bytes);
}

class MpiCluster final : public Cluster {
 public:
  MpiCluster() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // Errors come back as status codes, turned into exceptions by check().
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  }
  ~MpiCluster() override { MPI_Finalize(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::string> all_gather(const std::string& mine) override {
    int len = as_count(mine.size());
    std::vector<int> lens(size_);
    check(MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<int> displs = displacements(lens);
    std::string all(as_count(i64(displs.back()) + lens.back()), '\0');
    check(MPI_Allgatherv(mine.data(), len, MPI_BYTE, all.data(), lens.data(), displs.data(), MPI_BYTE,
                         MPI_COMM_WORLD),
          "MPI_Allgatherv");
    return split(all, lens, displs);
  }

  std::vector<i64> all_sum(const std::vector<i64>& values) override {
    std::vector<i64> sums(values.size());
    static_assert(sizeof(i64) == sizeof(long long));
    check(
        MPI_Allreduce(values.data(), sums.data(), int(values.size()), MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD),
        "MPI_Allreduce");
    return sums;
  }

  std::vector<std::string_view> all_to_all(std::string_view outgoing,
                                           const std::vector<i64>& lengths) override {
    as_count(outgoing.size());
    std::vector<int> send_lens(size_);
    for (int r = 0; r < size_; r++) send_lens[r] = as_count(lengths[r]);
    std::vector<int> recv_lens(size_);
    check(MPI_Alltoall(send_lens.data(), 1, MPI_INT, recv_lens.data(), 1, MPI_INT, MPI_COMM_WORLD),
          "MPI_Alltoall");
    std::vector<int> send_displs = displacements(send_lens), recv_displs = displacements(recv_lens);
    // Kept from call to call, so that a round does not fault in a new
    // buffer of up to 64 MiB.
    received_.resize(as_count(i64(recv_displs.back()) + recv_lens.back()));
    check(MPI_Alltoallv(outgoing.data(), send_lens.data(), send_displs.data(), MPI_BYTE, received_.data(),
                        recv_lens.data(), recv_displs.data(), MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Alltoallv");
    std::vector<std::string_view> parts(size_);
    for (int r = 0; r < size_; r++)
      parts[r] = std::string_view(received_).substr(recv_displs[r], recv_lens[r]);
    return parts;
  }

 private:
  static std::vector<int> displacements(const std::vector<int>& lens) {
    std::vector<int> displs(lens.size(), 0);
    i64 at = 0;
    for (size_t i = 0; i < lens.size(); i++) {
      displs[i] = as_count(at);
      at += lens[i];
    }
    return displs;
  }
  static std::vector<std::string> split(const std::string& all, const std::vector<int>& lens,
                                        const std::vector<int>& displs) {
    std::vector<std::string> parts(lens.size());
    for (size_t i = 0; i < lens.size(); i++) parts[i] = all.substr(displs[i], lens[i]);
    return parts;
  }

  int rank_ = 0;
  int size_ = 1;
  std::string received_;
};

// mpirun (ORTE or PMIx) sets these in every rank's environment.
bool started_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_RANK");
}

}  // namespace

bool mpi_available() { return true; }

std::unique_ptr<Cluster> join_mpi_job(int& argc, char**& argv) {
  if (!started_by_mpirun()) return nullptr;
  // SERIALIZED: the progress thread and the main thread both call MPI, but
  // never at once (the main thread joins it first).
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw Error("this MPI library cannot be called from more than one thread (MPI_THREAD_SERIALIZED)");
  }
  return std::make_unique<MpiCluster>();
}

void abort_mpi_job(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

}  // namespace ngfreq
