// Writes a generated file as blocks formatted in parallel and written in
// order, plain or gzipped, atomically: memory stays at a few blocks however
// large the output.
#pragma once

#include <functional>
#include <string>

#include "ngfreq/generate.h"

namespace ngfreq::generator {

/// Formats a block's bytes into the buffer (cleared or resized by it).
using FormatBlock = std::function<void(i64 block, std::string& buffer)>;

/// Formats blocks 0..count-1 in parallel and writes them in order to
/// opts.output_path (gzipped with opts.gzip). Returns the bytes written
/// (before gzip).
i64 write_blocks(const GenerateOptions& opts, i64 count, const FormatBlock& format);

}  // namespace ngfreq::generator
