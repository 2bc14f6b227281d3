// Input expansion. Whether a file is gzip is decided by its magic bytes,
// because Google's files and users' copies are not reliably named.
#include "ngfreq/inputs.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "ngfreq/shared-memory.h"

namespace ngfreq {

int open_input(const std::string& path) {
  if (path == "-") return STDIN_FILENO;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("cannot open '{}': {}", path, errno_string()));
  return fd;
}

static bool has_gzip_magic(int fd, const std::string& path) {
  unsigned char magic[2];
  ssize_t n = pread(fd, magic, 2, 0);
  if (n < 0) throw Error(fmt::format("cannot read '{}': {}", path, errno_string()));
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

// A FIFO or device is only stat()ed here: opening it and closing it again
// would let a writer that is already waiting see a broken pipe before the
// reader opens it for real. Its gzip check happens on the stream.
static void add_file(const std::string& path, std::vector<InputFile>& out) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw Error(fmt::format("cannot open '{}': {}", path, errno_string()));
  if (!S_ISREG(st.st_mode)) {
    out.push_back({path, false, false, 0});
    return;
  }
  detail::UniqueFd fd(open_input(path));
  InputFile in{path, true, has_gzip_magic(fd.get(), path), i64(st.st_size)};
  if (in.gzip) in.seekable = false;
  out.push_back(std::move(in));
}

static void add_directory(const std::string& dir, std::vector<InputFile>& out) {
  DIR* d = opendir(dir.c_str());
  if (!d) throw Error(fmt::format("cannot open directory '{}': {}", dir, errno_string()));
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  std::string prefix = dir.ends_with('/') ? dir : dir + "/";
  for (const std::string& name : names) {
    std::string path = prefix + name;
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) add_file(path, out);
  }
}

static void add_path(const std::string& path, std::vector<InputFile>& out) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    add_directory(path, out);
  else
    add_file(path, out);
}

// A quoted pattern ('eng-1-*.gz') that names no file itself: a corpus has
// more files than a command line holds, so ngfreq expands it as the shell
// would, in name order. No match is an error, not an empty run.
static bool add_glob(const std::string& pattern, std::vector<InputFile>& out) {
  struct stat st;
  if (pattern.find_first_of("*?[") == std::string::npos || stat(pattern.c_str(), &st) == 0) return false;
  glob_t g;
  int rc = glob(pattern.c_str(), 0, nullptr, &g);
  if (rc == GLOB_NOMATCH) throw Error(fmt::format("no file matches '{}'", pattern));
  if (rc != 0) {
    globfree(&g);
    throw Error(
        fmt::format("cannot expand '{}': {}", pattern, rc == GLOB_NOSPACE ? "out of memory" : "read error"));
  }
  std::vector<std::string> paths(g.gl_pathv, g.gl_pathv + g.gl_pathc);
  globfree(&g);
  for (const std::string& path : paths) add_path(path, out);
  return true;
}

std::vector<InputFile> expand_inputs(const std::vector<std::string>& args) {
  std::vector<InputFile> out;
  for (const std::string& arg : args) {
    if (arg == "-") {
      out.push_back({"-", false, false, 0});
      continue;
    }
    if (!add_glob(arg, out)) add_path(arg, out);
  }
  return out;
}

}  // namespace ngfreq
