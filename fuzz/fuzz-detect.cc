// Fuzzes format detection: any first bytes of a file either name a format
// or throw InputError, and a detected v1-v3 file maps without crashing.
#include "fuzz-input.h"
#include "ngfreq/formats.h"

using namespace ngfreq;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  Format format;
  try {
    format = detect_format(in.rest(), "fuzz-input");
  } catch (const InputError&) {
    return 0;
  }
  fuzz::check(format != Format::automatic, "detection names a format");
  MapOptions opts;
  opts.on_error = OnError::skip;
  FreqTable table;
  map_text(format, in.rest(), opts, table);
  return 0;
}
