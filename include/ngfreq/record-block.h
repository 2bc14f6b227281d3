// The serialised form of a run of flat records (flat-table.h) outside this
// process's memory: a block is a short header and the records compressed
// with LZ4. Spill files, the sorted pieces of an external sort and (later)
// an MPI shuffle all move records as these blocks, so there is one format
// to read, check and test.
//
// Layout, integers little-endian (a block is read on the host that wrote it,
// as a flat table is):
//
//   u32 magic        BLOCK_MAGIC ("NGB1")
//   u32 payload      compressed bytes that follow the header
//   u32 raw          bytes of the records once decompressed
//   u32 records      how many records
//   u64 checksum     XXH3 of the payload: a spill file damaged on disk is an
//                    error, never a wrong total
//   payload
//
// LZ4 because it is the fastest codec Debian ships (liblz4-dev): a record's
// fixed fields are mostly zero bytes, so records shrink 2-3x at about
// 500 MB/s a core to compress and several GB/s to decompress, which keeps
// a spill's cost near the disk's rather than the CPU's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ngfreq/common.h"

namespace ngfreq {

inline constexpr u32 BLOCK_MAGIC = 0x3142474e;  // "NGB1" read little-endian
inline constexpr i64 BLOCK_HEADER_BYTES = 24;
/// Records a block holds at most this many bytes (a u32 field).
inline constexpr i64 MAX_BLOCK_RAW_BYTES = i64(1) << 30;

struct BlockHeader {
  u32 payload = 0;
  u32 raw = 0;
  u32 records = 0;
};

/// Appends the block of `records` (`count` flat records) to `out`.
void encode_block(std::string_view records, i64 count, std::string& out);

/// Checks a block's header (magic, sizes) against the `size` bytes at
/// `data`; throws Error on a foreign or truncated block.
BlockHeader read_block_header(const char* data, i64 size);

/// The blocks, headers included, of blocks laid end to end (an MPI
/// message); throws Error on a foreign header or a block that runs past
/// the end.
std::vector<std::string_view> split_blocks(std::string_view message);

/// Decompresses the block at `data` (`size` bytes, header included),
/// appending its records to `out`; throws Error if it is damaged.
BlockHeader decode_block(const char* data, i64 size, std::string& out);

}  // namespace ngfreq
