// Where a count's sorted rows go, block by block and in order: a file
// (OutputFile) or an SQLite database (SqliteOutput).
#pragma once

#include <string_view>

namespace ngfreq {

class RowSink {
 public:
  virtual ~RowSink() = default;
  /// Takes whole rows, formatted as the output's RowLayout says.
  virtual void write(std::string_view rows) = 0;
};

}  // namespace ngfreq
