// A pool of forked worker processes, each tied to the parent by one
// message channel: the lifecycle (fork, death, replacement, shutdown) and
// the channel, with no knowledge of what the tasks are.
#pragma once

#include <sys/types.h>

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/shared-memory.h"

namespace ngfreq::detail {

/// The most descriptors one message carries. The kernel's SCM_MAX_FD is
/// 253; a round number below it leaves room for a header descriptor.
inline constexpr int MAX_FDS_PER_MESSAGE = 250;

/// One end of a SOCK_SEQPACKET socket pair: messages keep their boundaries
/// and can carry file descriptors (SCM_RIGHTS).
class Channel {
 public:
  Channel() = default;
  explicit Channel(int fd) : fd_(fd) {}

  int fd() const { return fd_.get(); }
  /// Sends `len` bytes and `fds` as one message. Returns false if the other
  /// end is gone; throws Error on other failures.
  bool send(const void* data, i64 len, std::span<const int> fds = {});
  /// Receives one message of at most `len` bytes, appending the descriptors
  /// it carries to `fds`. Returns the bytes received, 0 if the other end is
  /// gone; throws Error on other failures.
  i64 recv(void* data, i64 len, std::vector<UniqueFd>& fds);
  void close() { fd_ = UniqueFd(); }

 private:
  UniqueFd fd_;
};

class ProcessPool {
 public:
  /// Runs in each worker process: answers messages on the channel until it
  /// closes. It must not throw; when it returns, the worker _exits(0).
  using WorkerMain = std::function<void(Channel&)>;

  /// Forks `workers` workers. Each dies with the parent (PR_SET_PDEATHSIG),
  /// ignores SIGINT (the parent handles it and kills them), and closes every
  /// descriptor it inherited but its channel and standard streams.
  ProcessPool(int workers, WorkerMain main);
  /// Kills and reaps every worker still running.
  ~ProcessPool();
  ProcessPool(const ProcessPool&) = delete;
  ProcessPool& operator=(const ProcessPool&) = delete;

  int size() const { return int(slots_.size()); }
  pid_t pid(int slot) const { return slots_[slot].pid; }
  /// Sends a message to a worker; false if it is dead (wait() reports it).
  bool send(int slot, const void* data, i64 len, std::span<const int> fds = {});

  struct Event {
    int slot = -1;
    bool died = false;
    int status = 0;  // as waitpid gives it, when died
    pid_t pid = 0;   // of the worker that sent or died
    i64 bytes = 0;   // of the message, when !died
  };
  /// Blocks until a worker sends a message (copied to `data`, descriptors
  /// to `fds`) or dies; a dead worker is reaped before this returns.
  Event wait(void* data, i64 len, std::vector<UniqueFd>& fds);

  /// Starts a fresh worker in a slot whose worker died.
  void respawn(int slot);

  /// Closes every channel (workers see end of input and exit) and reaps
  /// the workers.
  void shutdown();

 private:
  struct Slot {
    pid_t pid = -1;
    Channel channel;
  };
  void spawn(int slot);
  void reap(int slot, bool kill_first, int* status);

  WorkerMain main_;
  pid_t parent_pid_;
  std::vector<Slot> slots_;
};

/// SIGKILLs and reaps every live worker of every pool. Async-signal-safe:
/// for the CLI's SIGINT/SIGTERM handler.
void kill_worker_processes() noexcept;

/// "was killed by signal 9 (Killed)" or "exited with status 1".
std::string describe_exit(int status);

}  // namespace ngfreq::detail
