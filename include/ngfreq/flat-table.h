// A FreqTable laid out flat in one byte buffer, shard by shard: the form in
// which tables cross process boundaries (the process pool's shared memory
// today; spill files and an MPI shuffle later).
//
// Layout, every integer in host byte order (a flat table is read on the host
// that wrote it), every record 8-byte aligned:
//
//   header (HEADER_BYTES = 32 + 8 * NUM_SHARDS bytes)
//     u64 magic         FLAT_MAGIC ("NGFLAT01")
//     u64 total_bytes   size of the whole buffer, header included
//     u64 entries       records in all shards
//     u64 flags         bit 0: some total saturated (FreqTable::overflowed)
//     u64 shard_end[s]  byte offset just past shard s's last record; shard s
//                       starts at shard_end[s - 1] (at HEADER_BYTES for s = 0)
//   records of shard 0, then shard 1, ... shard NUM_SHARDS - 1, each
//     u64 hash, u64 count, u64 volumes, u64 key_len, key bytes,
//     zero padding up to a multiple of 8
//
// Within a shard, records are sorted by key bytes (unsigned), keys unique.
// Merging flat tables is then a linear k-way merge with no hash table, and
// a spill to disk or a shuffle can merge runs the same way. A table that
// breaks the order still reads back right (read_flat sums duplicates); only
// a merge of it may keep a key twice.
//
// Records keep their hash, so reading or merging a flat table never hashes a
// key again, and a shard is one contiguous byte range that can be copied,
// spilled or sent as a unit.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ngfreq/common.h"
#include "ngfreq/freq-table.h"

namespace ngfreq {

inline constexpr u64 FLAT_MAGIC = 0x31305441'4c46474eull;  // "NGFLAT01" read little-endian
inline constexpr i64 FLAT_HEADER_BYTES = 32 + 8 * FreqTable::NUM_SHARDS;

/// One record of a flat table; `key` points into the buffer.
struct FlatEntry {
  std::string_view key;
  u64 hash;
  u64 count;
  u64 volumes;
};

/// Bytes one record takes: 32 fixed, then the key padded to a multiple of 8.
inline i64 flat_record_size(i64 key_len) { return 32 + ((key_len + 7) & ~i64(7)); }

/// Writes the record of `e` at `out`, flat_record_size(e.key.size()) bytes.
void encode_flat_record(char* out, const FlatEntry& e);

/// Appends the record of `e` to `records`.
inline void append_flat_record(std::string& records, const FlatEntry& e) {
  size_t at = records.size();
  records.resize(at + flat_record_size(e.key.size()));
  encode_flat_record(records.data() + at, e);
}

/// Bytes the flat form of `table` takes, header included.
i64 flat_size(const FreqTable& table);

/// Writes shards, in order, into a caller-provided buffer.
class FlatWriter {
 public:
  /// `out` must hold at least `capacity` bytes; writing past it throws.
  FlatWriter(char* out, i64 capacity);
  /// Appends shard `s`'s entries, sorted; shards must be added in order.
  void add_shard(int s, const FreqShard& shard);
  /// Appends the raw records of one shard of another flat table.
  void add_raw_shard(int s, std::string_view records, i64 entries);
  /// Starts shard `s`; records then come through add_record in order.
  void begin_shard(int s) { end_shards_before(s); }
  void add_record(const FlatEntry& e);
  /// Appends a copy of another flat table's record with new totals.
  void add_copy(const char* record, i64 size, u64 count, u64 volumes);
  /// Ends every shard not yet added, fills the header; returns total bytes.
  i64 finish(bool overflowed);

 private:
  void end_shards_before(int s);

  char* out_;
  i64 capacity_;
  i64 pos_ = FLAT_HEADER_BYTES;
  i64 entries_ = 0;
  int next_shard_ = 0;
};

/// Writes `table` flat into `out` (flat_size(table) bytes); returns the size.
i64 write_flat(const FreqTable& table, char* out);

/// A read-only view of a flat table. The constructor checks the header and
/// the shard bounds, so a truncated or foreign buffer throws Error instead
/// of being read out of bounds.
class FlatTable {
 public:
  FlatTable(const char* data, i64 size);

  i64 entries() const { return entries_; }
  i64 size_bytes() const { return size_; }
  bool overflowed() const { return overflowed_; }
  /// Shard s's records as raw bytes, and how many there are.
  std::string_view shard_bytes(int s) const;
  i64 shard_entries(int s) const;

  /// Decodes the record at p and advances p past it; throws Error if the
  /// record runs past `end` (a corrupt key length).
  static FlatEntry decode(const char*& p, const char* end);

  /// Calls f(const FlatEntry&) for each record of shard s, in stored order.
  template <class F> void for_each(int s, F&& f) const {
    std::string_view bytes = shard_bytes(s);
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
      FlatEntry e = decode(p, end);
      f(e);
    }
  }

 private:
  const char* data_;
  i64 size_;
  i64 entries_;
  bool overflowed_;
};

/// Adds every record of shard s of `src` into `dest` (without re-hashing).
void add_flat_shard(FreqShard& dest, const FlatTable& src, int s);

/// Rebuilds a FreqTable from its flat form; with `parallel`, shard by
/// shard on oneTBB.
FreqTable read_flat(const FlatTable& src, bool parallel = false);

/// Adds every record of `sources` into `dest` (merging as it reads).
void read_flat_into(FreqTable& dest, std::span<const FlatTable> sources, bool parallel);

/// An upper bound on the flat size of the merge of `inputs`.
i64 merged_flat_bound(std::span<const FlatTable> inputs);

/// Merges `inputs` into one flat table written to `out` (at least
/// merged_flat_bound bytes) by a k-way merge of each shard's sorted
/// records; returns the bytes written.
i64 merge_flat(std::span<const FlatTable> inputs, char* out, i64 capacity);

}  // namespace ngfreq
