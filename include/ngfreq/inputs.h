// What the user named on the command line, resolved to a list of inputs.
#pragma once

#include <string>
#include <vector>

#include "ngfreq/common.h"
#include "ngfreq/formats.h"

namespace ngfreq {

struct InputFile {
  std::string path;      // as the user named it (or found in a directory)
  bool seekable = true;  // a regular, uncompressed file: split into partitions
  bool gzip = false;     // detected from the first bytes, not the name
  i64 size = 0;          // bytes on disk (compressed size for gzip), 0 for streams
  /// The format it is read as: resolved before the maps (a pipe's at its
  /// first chunk), never automatic once mapping starts.
  Format format = Format::automatic;
};

/// Expands files, directories (their regular files in name order, not
/// recursive) and "-" (standard input). Throws Error naming the path when a
/// file is missing or unreadable.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& args);

/// Opens `path` read-only ("-" is standard input, returned as is); throws
/// Error "cannot open 'path': reason".
int open_input(const std::string& path);

}  // namespace ngfreq
