// Where a count's sorted rows go, block by block and in order: a file
// (OutputFile) or an SQLite database (SqliteOutput).
#pragma once

#include <string_view>

#include "ngfreq/common.h"

namespace ngfreq {

class RowSink {
 public:
  virtual ~RowSink() = default;
  /// Takes whole rows, formatted as the output's RowLayout says.
  virtual void write(std::string_view rows) = 0;

  /// Whether rewind() can take rows back: a file not yet committed can, a
  /// pipe or a database cannot.
  virtual bool can_rewind() const { return false; }
  /// Where the rows written so far end, for rewind().
  virtual i64 position() const { return 0; }
  /// Takes back every row written after `position`.
  virtual void rewind(i64 position) { (void)position; }
};

}  // namespace ngfreq
