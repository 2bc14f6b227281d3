// Atomic output: write to "<path>.ngfreq-XXXXXX" in the target directory,
// fsync, rename. A crash or signal leaves either the old file or the whole
// new one. Open temporaries are listed in a fixed table so that a signal
// handler can unlink them without allocating.
#include "ngfreq/output-file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
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

}  // namespace

void remove_temporary_outputs() noexcept {
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temp_used[i]) unlink(temp_paths[i]);
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") {
    fd_ = STDOUT_FILENO;
    return;
  }
  struct stat st;
  if (stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw Error(fmt::format("cannot write '{}': is a directory", path_));
  std::string pattern = path_ + ".ngfreq-XXXXXX";
  fd_ = mkstemp(pattern.data());
  if (fd_ < 0) throw Error(fmt::format("cannot create '{}': {}", path_, errno_string()));
  temp_path_ = pattern;
  register_temp(temp_path_);
  // mkstemp makes 0600; give the file the permissions a plain open would.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd_, 0666 & ~mask);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0 && fd_ != STDOUT_FILENO) close(fd_);
  if (!committed_ && !temp_path_.empty()) {
    unlink(temp_path_.c_str());
    unregister_temp(temp_path_);
  }
}

void OutputFile::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
    }
    data.remove_prefix(n);
  }
}

void OutputFile::commit() {
  if (fd_ == STDOUT_FILENO) {
    committed_ = true;
    return;
  }
  if (fsync(fd_) != 0) throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
  if (close(fd_) != 0) {
    fd_ = -1;
    throw Error(fmt::format("cannot write '{}': {}", path_, errno_string()));
  }
  fd_ = -1;
  if (rename(temp_path_.c_str(), path_.c_str()) != 0)
    throw Error(fmt::format("cannot rename '{}' to '{}': {}", temp_path_, path_, errno_string()));
  committed_ = true;
  unregister_temp(temp_path_);
}

}  // namespace ngfreq
