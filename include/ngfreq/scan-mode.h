// Which scan the parsers run. The wide one classifies 32 bytes at once
// (SSE2), reads numbers of up to 7 digits with one 8-byte load (SWAR) and
// compares keys 8 bytes at a time; the scalar one reads every line byte by
// byte, through the thorough parse that also names what is wrong with a
// line. Both give the same totals, line counts and first error: the scalar
// one is there so that every parser test runs, and the fuzzers compare,
// both. NGFREQ_SCAN=scalar in the environment forces it (CI runs the
// parser tests so); it is read at the first parse.
#pragma once

namespace ngfreq {

enum class ScanMode { wide, scalar };

/// The mode of the process: NGFREQ_SCAN (wide unless "scalar"), or what
/// set_scan_mode() set.
ScanMode scan_mode();
/// For tests and fuzzers, which run both modes on the same bytes.
void set_scan_mode(ScanMode mode);

}  // namespace ngfreq
