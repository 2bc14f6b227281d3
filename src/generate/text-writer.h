// Writes English-like text: sentences of words drawn from a Zipf law over
// surface forms (surface-forms.h), for `count -f text`.
#pragma once

#include "generate/word-list.h"
#include "ngfreq/generate.h"

namespace ngfreq::generator {

/// Writes about `target` bytes of text to opts.output_path.
GenerateSummary write_text(const Words& words, const GenerateOptions& opts, i64 target);

}  // namespace ngfreq::generator
