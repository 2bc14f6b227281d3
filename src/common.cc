#include "ngfreq/common.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace ngfreq {

// Standard input is named "-" on the command line; messages say <stdin>.
static std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string line_message(const std::string& path, i64 line, const std::string& reason) {
  return fmt::format("{}:{}: {}", display_name(path), line, reason);
}

InputError::InputError(const std::string& path, i64 line, const std::string& reason)
    : Error(line_message(path, line, reason)) {}

InputError::InputError(const std::string& path, const std::string& where, const std::string& reason)
    : Error(fmt::format("{}: {}: {}", display_name(path), where, reason)) {}

std::string errno_string() { return std::strerror(errno); }

}  // namespace ngfreq
