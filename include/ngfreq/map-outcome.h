// What a parser reports about one piece of text: how many lines it read and
// which were malformed. Every input format's parser fills one of these, so
// that --on-error works the same way for all of them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngfreq/common.h"

namespace ngfreq {

/// What a parser does with a malformed line: stop there (the run fails,
/// naming it) or leave it out and go on (the run counts and reports them).
enum class OnError { fail, skip };

/// How many skipped lines a run names; the rest are only counted.
inline constexpr size_t MAX_NAMED_SKIPS = 5;

/// A malformed line of a piece of text.
struct LineError {
  i64 offset = 0;      // byte offset of the line's start within the text
  i64 line_index = 0;  // 0-based line number within the text
  std::string reason;  // e.g. "expected 4 tab-separated fields, got 3"
};

/// What mapping one piece of text found.
struct MapOutcome {
  explicit MapOutcome(OnError on_error = OnError::fail) : policy(on_error) {}

  OnError policy;
  i64 lines = 0;                         // lines read, malformed ones included when skipped
  std::optional<LineError> error;        // fail: the line mapping stopped at
  i64 skipped = 0;                       // skip: malformed lines left out
  std::vector<LineError> first_skipped;  // skip: the first MAX_NAMED_SKIPS of them

  /// Records a malformed line. Returns true if the parser should go on with
  /// the next line, false if it must stop (the line is then `error`).
  bool malformed(LineError e) {
    if (policy == OnError::fail) {
      error = std::move(e);
      return false;
    }
    skipped++;
    if (first_skipped.size() < MAX_NAMED_SKIPS) first_skipped.push_back(std::move(e));
    return true;
  }

  /// Adds a later piece's outcome: its line indexes are shifted past ours.
  void append(MapOutcome later) {
    for (LineError& e : later.first_skipped) {
      e.line_index += lines;
      if (first_skipped.size() < MAX_NAMED_SKIPS) first_skipped.push_back(std::move(e));
    }
    skipped += later.skipped;
    if (later.error && !error) {
      later.error->line_index += lines;
      error = std::move(later.error);
    }
    lines += later.lines;
  }
};

}  // namespace ngfreq
