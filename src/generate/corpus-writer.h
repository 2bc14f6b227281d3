// Writes a sorted vocabulary as a v2 file (a line an n-gram and year) or a
// v3 file (a line an n-gram). Each n-gram's lines are generated a second
// time here, from its seed, after being generated once to size it
// (vocabulary.h): sizing costs about a quarter of the CPU time, and it buys
// an exact stop at the target and exactly sized buffers.
#pragma once

#include "generate/vocabulary.h"
#include "generate/year-model.h"
#include "ngfreq/generate.h"

namespace ngfreq::generator {

GenerateSummary write_corpus(const YearModel& model, const Vocabulary& vocab, const GenerateOptions& opts);

}  // namespace ngfreq::generator
