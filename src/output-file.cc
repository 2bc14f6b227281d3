// Output that goes where the user pointed, whole or not at all.
//
// - A regular file, or a name that does not exist yet: written to
//   "<name>.ngfreq-XXXXXX" in the same directory, fsynced, renamed over the
//   name, with the permissions (and, as root, the owner) of the file it
//   replaces. A crash or signal leaves either the old file or the whole new
//   one. A file this process may not write (read-only) is an error, as it
//   is for sort -o: the rename would otherwise replace it behind its mode.
// - A symbolic link: followed to the file it names, which is replaced as
//   above; the link stays a link.
// - A character device, FIFO or socket (/dev/null, a named pipe someone
//   reads, a Unix socket), and /dev/stdout or /dev/fd/N: opened and written
//   directly, as `-o -` writes standard output; a FIFO is opened at the
//   first write, so that a run does not wait for a reader before counting.
//   A rename over them would replace the device or the pipe by a file.
// - A directory or a block device: an error before any work.
//
// Open temporaries are listed in a fixed table so that a signal handler can
// unlink them without allocating.
#include "ngfreq/output-file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace ngfreq {

namespace {

constexpr int MAX_TEMPS = 16;
constexpr int MAX_PATH = 4096;
char temp_paths[MAX_TEMPS][MAX_PATH];
std::atomic<bool> temp_used[MAX_TEMPS];

int register_temp(const std::string& path) {
  if (path.size() >= MAX_PATH) return -1;
  for (int i = 0; i < MAX_TEMPS; i++) {
    bool expected = false;
    if (temp_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(temp_paths[i], path.c_str(), path.size() + 1);
      return i;
    }
  }
  return -1;
}

void unregister_temp(const std::string& path) {
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temp_used[i] && path == temp_paths[i]) temp_used[i] = false;
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// The descriptor N that /proc/self/fd/N or /dev/fd/N names, or -1.
int named_descriptor(const std::string& path) {
  for (std::string_view prefix : {"/proc/self/fd/", "/dev/fd/"}) {
    if (!path.starts_with(prefix)) continue;
    std::string_view digits = std::string_view(path).substr(prefix.size());
    if (digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos)
      return -1;
    return std::stoi(std::string(digits));
  }
  return -1;
}

// Follows symbolic links from `path` to the name they end at (which may
// not exist yet), stopping at a /proc/self/fd/N or /dev/fd/N name: those
// are links to open descriptors, not to names one could replace.
std::string follow_links(const std::string& path) {
  std::string at = path;
  for (int hops = 0; hops < 40; hops++) {
    if (named_descriptor(at) >= 0) return at;
    struct stat st;
    if (lstat(at.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return at;
    std::string target(PATH_MAX, '\0');
    ssize_t n = readlink(at.c_str(), target.data(), target.size());
    if (n < 0) throw Error(fmt::format("cannot write '{}': {}", path, errno_string()));
    target.resize(n);
    at = target.starts_with('/') ? target : dir_of(at) + "/" + target;
  }
  throw Error(fmt::format("cannot write '{}': too many levels of symbolic links", path));
}

int connect_socket(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

}  // namespace

void remove_temporary_outputs() noexcept {
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temp_used[i]) unlink(temp_paths[i]);
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") {
    fd_ = STDOUT_FILENO;
    kind_ = Kind::standard_output;
    return;
  }
  std::string target = follow_links(path_);
  if (int n = named_descriptor(target); n >= 0) {
    // /dev/stdout and its kin: this process's own descriptor, as it is.
    fd_ = fcntl(n, F_DUPFD_CLOEXEC, 3);
    if (fd_ < 0) throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
    kind_ = Kind::direct;
    return;
  }
  struct stat st;
  bool exists = stat(target.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
  if (exists) {
    if (S_ISDIR(st.st_mode)) throw Error(fmt::format("cannot write '{}': is a directory", path_));
    if (S_ISBLK(st.st_mode))
      throw Error(
          fmt::format("cannot write '{}': is a block device (-o writes files, character devices, "
                      "FIFOs and sockets)",
                      path_));
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
      direct_path_ = target;
      kind_ = S_ISSOCK(st.st_mode) ? Kind::socket : Kind::direct;
      // A device is opened now, so that a bad one fails before the count;
      // a FIFO at the first write, so that the count does not wait for a
      // reader; a socket at the first write too, for the same reason.
      if (S_ISCHR(st.st_mode)) open_direct();
      return;
    }
    if (!S_ISREG(st.st_mode)) throw Error(fmt::format("cannot write '{}': not a regular file", path_));
    if (access(target.c_str(), W_OK) != 0)
      throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
  }
  std::string pattern = target + ".ngfreq-XXXXXX";
  fd_ = mkostemp(pattern.data(), O_CLOEXEC);
  if (fd_ < 0) throw Error(fmt::format("cannot create '{}': {}", path_, errno_string()));
  temp_path_ = pattern;
  target_ = target;
  register_temp(temp_path_);
  if (exists) {
    // Keep the replaced file's permissions, and as root its owner, as an
    // edit in place would.
    fchmod(fd_, st.st_mode & 07777);
    if (geteuid() == 0 && fchown(fd_, st.st_uid, st.st_gid) != 0) {
    }
  } else {
    // mkstemp makes 0600; give the file the permissions a plain open would.
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd_, 0666 & ~mask);
  }
}

OutputFile::~OutputFile() {
  if (fd_ >= 0 && fd_ != STDOUT_FILENO) close(fd_);
  if (!committed_ && !temp_path_.empty()) {
    unlink(temp_path_.c_str());
    unregister_temp(temp_path_);
  }
}

void OutputFile::open_direct() {
  fd_ = kind_ == Kind::socket ? connect_socket(direct_path_)
                              : open(direct_path_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
}

void OutputFile::write(std::string_view data) {
  if (fd_ < 0 && !direct_path_.empty()) open_direct();
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
    }
    data.remove_prefix(n);
    written_ += n;
  }
}

void OutputFile::rewind(i64 position) {
  if (direct() || ftruncate(fd_, position) != 0 || lseek(fd_, position, SEEK_SET) != position)
    throw Error(
        fmt::format("cannot rewrite '{}': {}", path_, direct() ? "written directly" : errno_string()));
  written_ = position;
}

void OutputFile::commit() {
  if (temp_path_.empty()) {
    // Written directly: there is nothing to rename, and a pipe, socket or
    // terminal has nothing to sync. An empty output still opens a FIFO,
    // so that its reader sees the end.
    if (fd_ < 0 && !direct_path_.empty()) open_direct();
    committed_ = true;
    return;
  }
  if (fsync(fd_) != 0) throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
  if (close(fd_) != 0) {
    fd_ = -1;
    throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
  }
  fd_ = -1;
  if (rename(temp_path_.c_str(), target_.c_str()) != 0)
    throw Error(fmt::format("cannot rename '{}' to '{}': {}", temp_path_, target_, errno_string()));
  committed_ = true;
  unregister_temp(temp_path_);
}

}  // namespace ngfreq
