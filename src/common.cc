#include "ngfreq/common.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ngfreq {

// Standard input is named "-" on the command line; messages say <stdin>.
static std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string line_message(const std::string& path, i64 line, const std::string& reason) {
  return fmt::format("{}:{}: {}", display_name(path), line, reason);
}

InputError::InputError(const std::string& path, i64 line, const std::string& reason)
    : Error(line_message(path, line, reason)), path_(path), reason_(reason), line_(line) {}

InputError::InputError(const std::string& path, const std::string& where, const std::string& reason)
    : Error(fmt::format("{}: {}: {}", display_name(path), where, reason)),
      path_(path),
      where_(where),
      reason_(reason) {}

std::string errno_string() {
  int e = errno;
  std::string text = std::strerror(e);
  // Name the limit that was hit, which the plain message does not.
  rlimit lim{};
  if (e == EMFILE && getrlimit(RLIMIT_NOFILE, &lim) == 0)
    text += fmt::format(" (the open files limit, ulimit -n, is {})", lim.rlim_cur);
  errno = e;
  return text;
}

std::string read_system_file(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n > 0 ? std::string(buf, n) : "";
}

}  // namespace ngfreq
