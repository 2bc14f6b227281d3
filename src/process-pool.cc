// Worker processes and their channels.
//
// Each worker is fork()ed with one end of a SOCK_SEQPACKET socket pair; the
// parent keeps the other end. Death is noticed through the channel, not
// SIGCHLD: when a worker dies for any reason (crash, kill -9, the OOM
// killer) the kernel closes its end, the parent's poll() sees end of file at
// once, and waitpid() then reaps it, so no zombie is left and no signal
// handler races with the scheduler. For this to work, no other process may
// hold a copy of a worker's end: the parent closes its copy right after the
// fork, and every worker closes all inherited descriptors but its own
// channel (close_range), so later workers do not keep earlier ones alive.
//
// Workers are tied to the parent three ways: PR_SET_PDEATHSIG kills them
// when the parent dies however it dies; the parent's SIGINT/SIGTERM handler
// SIGKILLs the pids in a fixed, lock-free table (kill_worker_processes);
// and a worker that reads end of file on its channel exits. A worker ignores
// SIGINT, so Ctrl-C (sent to the whole process group) is handled by the
// parent alone, which exits 130 after killing the workers rather than
// mistaking their deaths for crashes.
//
// Forking copies only the calling thread. Workers therefore never use
// oneTBB or any lock another thread of the parent may have held; glibc's
// malloc is made fork-safe by glibc itself.
#include "ngfreq/process-pool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace ngfreq::detail {

namespace {

// Pids the signal handler kills: one slot per worker. 4096 matches the
// CLI's --jobs limit; a worker that finds no free slot still dies with the
// parent through PR_SET_PDEATHSIG.
constexpr int MAX_REGISTERED = 4096;
std::atomic<pid_t> registered[MAX_REGISTERED];
static_assert(std::atomic<pid_t>::is_always_lock_free);

void register_pid(pid_t pid) {
  for (auto& r : registered) {
    pid_t expected = 0;
    if (r.compare_exchange_strong(expected, pid)) return;
  }
}

void unregister_pid(pid_t pid) {
  for (auto& r : registered) {
    pid_t expected = pid;
    if (r.compare_exchange_strong(expected, 0)) return;
  }
}

}  // namespace

void kill_worker_processes() noexcept {
  for (auto& r : registered) {
    pid_t pid = r.load();
    if (pid > 0) kill(pid, SIGKILL);
  }
  // Reap them as well (waitpid is async-signal-safe): orphans would be left
  // to PID 1, and a container's PID 1 may never reap them.
  for (auto& r : registered) {
    pid_t pid = r.exchange(0);
    if (pid > 0)
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
  }
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    return fmt::format("was killed by signal {} (SIG{}: {})", sig, abbrev ? abbrev : "?", strsignal(sig));
  }
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  return fmt::format("ended with wait status {:#x}", status);
}

bool Channel::send(const void* data, i64 len, std::span<const int> fds) {
  if (fds.size() > size_t(MAX_FDS_PER_MESSAGE)) throw Error("too many descriptors for one message");
  iovec iov{const_cast<void*>(data), size_t(len)};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * MAX_FDS_PER_MESSAGE)];
  if (!fds.empty()) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  for (;;) {
    // MSG_NOSIGNAL: a dead peer is an answer (false), not a SIGPIPE.
    if (sendmsg(fd(), &msg, MSG_NOSIGNAL) >= 0) return true;
    if (errno == EINTR) continue;
    if (errno == EPIPE || errno == ECONNRESET) return false;
    throw Error(fmt::format("cannot send to a worker process: {}", errno_string()));
  }
}

i64 Channel::recv(void* data, i64 len, std::vector<UniqueFd>& fds) {
  iovec iov{data, size_t(len)};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * MAX_FDS_PER_MESSAGE)];
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n;
  for (;;) {
    n = recvmsg(fd(), &msg, MSG_CMSG_CLOEXEC);
    if (n >= 0) break;
    if (errno == EINTR) continue;
    if (errno == ECONNRESET) return 0;
    throw Error(fmt::format("cannot receive from a worker process: {}", errno_string()));
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    i64 count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (i64 i = 0; i < count; i++) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      fds.emplace_back(fd);
    }
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) throw Error("truncated message from a worker process");
  return n;
}

ProcessPool::ProcessPool(int workers, WorkerMain main)
    : main_(std::move(main)), parent_pid_(getpid()), slots_(workers) {
  try {
    for (int i = 0; i < workers; i++) spawn(i);
  } catch (...) {
    for (int i = 0; i < workers; i++) reap(i, true, nullptr);
    throw;
  }
}

ProcessPool::~ProcessPool() {
  for (int i = 0; i < size(); i++) reap(i, true, nullptr);
}

void ProcessPool::spawn(int slot) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    throw Error(fmt::format("cannot create a worker channel: {}", errno_string()));
  UniqueFd parent_end(sv[0]), child_end(sv[1]);
  pid_t pid = fork();
  if (pid < 0) throw Error(fmt::format("cannot start a worker process: {}", errno_string()));
  if (pid == 0) {
    // The worker. From here on nothing may throw or return into the
    // parent's code: every path ends in _exit.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent_pid_) _exit(1);  // the parent died before prctl
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    for (auto& r : registered) r.store(0);
    int keep = child_end.get();
    close_range(3, keep - 1, 0);
    close_range(keep + 1, ~0U, 0);
    parent_end.release();  // closed by close_range already
    Channel channel(child_end.release());
    try {
      main_(channel);
    } catch (...) {
      _exit(1);
    }
    _exit(0);
  }
  register_pid(pid);
  slots_[slot].pid = pid;
  slots_[slot].channel = Channel(parent_end.release());
}

void ProcessPool::reap(int slot, bool kill_first, int* status) {
  Slot& s = slots_[slot];
  s.channel.close();
  if (s.pid <= 0) return;
  if (kill_first) kill(s.pid, SIGKILL);
  int st = 0;
  while (waitpid(s.pid, &st, 0) < 0 && errno == EINTR) {
  }
  unregister_pid(s.pid);
  s.pid = -1;
  if (status) *status = st;
}

bool ProcessPool::send(int slot, const void* data, i64 len, std::span<const int> fds) {
  return slots_[slot].pid > 0 && slots_[slot].channel.send(data, len, fds);
}

ProcessPool::Event ProcessPool::wait(void* data, i64 len, std::vector<UniqueFd>& fds) {
  std::vector<pollfd> pfds;
  std::vector<int> which;
  for (int i = 0; i < size(); i++)
    if (slots_[i].pid > 0) {
      pfds.push_back({slots_[i].channel.fd(), POLLIN, 0});
      which.push_back(i);
    }
  if (pfds.empty()) throw Error("no worker process is running");
  for (;;) {
    int n = poll(pfds.data(), pfds.size(), -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(fmt::format("cannot wait for worker processes: {}", errno_string()));
    for (size_t k = 0; k < pfds.size(); k++) {
      if (pfds[k].revents == 0) continue;
      int slot = which[k];
      Event ev;
      ev.slot = slot;
      ev.pid = slots_[slot].pid;
      // Messages queued before a death are read first; end of file follows.
      if (pfds[k].revents & POLLIN) ev.bytes = slots_[slot].channel.recv(data, len, fds);
      if (ev.bytes > 0) return ev;
      ev.died = true;
      reap(slot, false, &ev.status);
      return ev;
    }
  }
}

void ProcessPool::respawn(int slot) {
  reap(slot, true, nullptr);
  spawn(slot);
}

void ProcessPool::shutdown() {
  for (Slot& s : slots_) s.channel.close();
  for (int i = 0; i < size(); i++) reap(i, false, nullptr);
}

}  // namespace ngfreq::detail
