// Fuzzes one input format's parser (NGFREQ_FUZZ_FORMAT: v1, v2, v3 or
// text). Beyond "no crash, no undefined behaviour", it checks the property
// partitioning rests on: text split at a line boundary and mapped in two
// pieces gives the same table, line count and errors as the whole; and
// that a key filter that wants nothing changes no line count or error; and
// that the scalar scan (scan-mode.h) gives what the wide one gives.
#include <cstring>
#include <memory>

#include "fuzz-input.h"
#include "ngfreq/formats.h"
#include "ngfreq/scan-mode.h"
#include "test-util.h"

using namespace ngfreq;

static bool same_error(const std::optional<LineError>& a, const std::optional<LineError>& b) {
  if (!a || !b) return !a && !b;
  return a->line_index == b->line_index && a->reason == b->reason;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  MapOptions opts = fuzz::map_options(in);
  uint32_t split_at = in.u16();
  std::string_view text = in.rest();

  FreqTable whole_table;
  MapOutcome whole = map_text(Format::NGFREQ_FUZZ_FORMAT, text, opts, whole_table);

  // The split: just after the first LF at or past split_at.
  size_t cut = text.size();
  if (split_at < text.size()) {
    const void* nl = std::memchr(text.data() + split_at, '\n', text.size() - split_at);
    if (nl) cut = static_cast<const char*>(nl) - text.data() + 1;
  }
  FreqTable split_table;
  MapOutcome split = map_text(Format::NGFREQ_FUZZ_FORMAT, text.substr(0, cut), opts, split_table);
  split.append(map_text(Format::NGFREQ_FUZZ_FORMAT, text.substr(cut), opts, split_table));

  fuzz::check(same_error(whole.error, split.error), "the first error is the same whole and split");

  ScanMode before = scan_mode();
  set_scan_mode(ScanMode::scalar);
  FreqTable scalar_table;
  MapOutcome scalar = map_text(Format::NGFREQ_FUZZ_FORMAT, text, opts, scalar_table);
  set_scan_mode(before);
  fuzz::check(same_error(whole.error, scalar.error), "the first error is the same wide and scalar");
  fuzz::check(whole.lines == scalar.lines, "as many lines wide and scalar");
  fuzz::check(whole.skipped == scalar.skipped, "as many skipped lines wide and scalar");
  fuzz::check(whole_table.overflowed() == scalar_table.overflowed(), "overflow wide and scalar alike");
  fuzz::check(test::table_contents(whole_table) == test::table_contents(scalar_table),
              "the same table wide and scalar");

  // A key filter that wants no n-gram (ngfreq series) steps over lines
  // without computing their numbers: the lines and errors must not change.
  MapOptions none_wanted = opts;
  none_wanted.keys.only = std::make_shared<KeyFilter>();
  FreqTable filtered_table;
  MapOutcome filtered = map_text(Format::NGFREQ_FUZZ_FORMAT, text, none_wanted, filtered_table);
  fuzz::check(same_error(whole.error, filtered.error), "the first error is the same filtered");
  fuzz::check(whole.lines == filtered.lines, "as many lines filtered");
  fuzz::check(whole.skipped == filtered.skipped, "as many skipped lines filtered");
  fuzz::check(test::table_contents(filtered_table).empty(), "no n-gram counted that no query wants");
  if (whole.error) return 0;  // a failed piece stops where it failed: nothing more to compare
  fuzz::check(whole.lines == split.lines, "as many lines whole as split");
  fuzz::check(whole.skipped == split.skipped, "as many skipped lines whole as split");
  fuzz::check(whole.first_skipped.size() == split.first_skipped.size(), "as many named skips");
  for (size_t i = 0; i < whole.first_skipped.size(); i++)
    fuzz::check(same_error(whole.first_skipped[i], split.first_skipped[i]), "the same skipped lines");
  fuzz::check(whole_table.overflowed() == split_table.overflowed(), "overflow whole and split alike");
  fuzz::check(test::table_contents(whole_table) == test::table_contents(split_table),
              "the same table whole and split");
  return 0;
}
