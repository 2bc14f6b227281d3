// Flat tables: writing a FreqTable shard by shard into one buffer, reading it
// back, and merging several flat tables into a new one.
//
// The merge works one shard at a time: it builds a hash table of shard s from
// every input, writes it out, and drops it before shard s + 1. A worker that
// merges tables of a gigabyte thus holds one shard's table (1/64 of the
// result) besides the mapped inputs and output, instead of a whole second
// table. A shard that only one input has is copied as raw bytes, unparsed.
// The trade-off is that the output's size is known only at the end, so the
// caller provides merged_flat_bound bytes (the sum of the inputs; in a
// memfd, pages never written cost nothing) and truncates afterwards.
#include "ngfreq/flat-table.h"

#include <fmt/format.h>

#include <cstring>

namespace ngfreq {

namespace {

constexpr i64 RECORD_FIXED = 32;  // hash, count, volumes, key_len

i64 padded(i64 n) { return (n + 7) & ~i64(7); }

i64 record_size(i64 key_len) { return RECORD_FIXED + padded(key_len); }

u64 load_u64(const char* p) {
  u64 v;
  std::memcpy(&v, p, 8);
  return v;
}

void store_u64(char* p, u64 v) { std::memcpy(p, &v, 8); }

const char* shard_end_slot(const char* data, int s) {
  return data + 32 + 8 * s;
}

}  // namespace

i64 flat_size(const FreqTable& table) {
  i64 n = FLAT_HEADER_BYTES;
  for (int s = 0; !table.empty() && s < FreqTable::NUM_SHARDS; s++)
    for (const Entry& e : table.shard(s).entries()) n += record_size(e.key_len);
  return n;
}

FlatWriter::FlatWriter(char* out, i64 capacity)
    : out_(out), capacity_(capacity) {
  if (capacity < FLAT_HEADER_BYTES)
    throw Error("flat table: buffer smaller than its header");
}

void FlatWriter::end_shards_before(int s) {
  for (; next_shard_ < s; next_shard_++)
    store_u64(out_ + 32 + 8 * next_shard_, pos_);
}

void FlatWriter::add_shard(int s, const FreqShard& shard) {
  end_shards_before(s);
  for (const Entry& e : shard.entries()) {
    i64 size = record_size(e.key_len);
    if (pos_ + size > capacity_) throw Error("flat table: buffer too small");
    char* p = out_ + pos_;
    store_u64(p, e.hash);
    store_u64(p + 8, e.count);
    store_u64(p + 16, e.volumes);
    store_u64(p + 24, e.key_len);
    std::memcpy(p + RECORD_FIXED, e.key, e.key_len);
    std::memset(p + RECORD_FIXED + e.key_len, 0,
                size - RECORD_FIXED - e.key_len);
    pos_ += size;
  }
  entries_ += shard.size();
}

void FlatWriter::add_raw_shard(int s, std::string_view records, i64 entries) {
  end_shards_before(s);
  if (pos_ + i64(records.size()) > capacity_)
    throw Error("flat table: buffer too small");
  std::memcpy(out_ + pos_, records.data(), records.size());
  pos_ += records.size();
  entries_ += entries;
}

i64 FlatWriter::finish(bool overflowed) {
  end_shards_before(FreqTable::NUM_SHARDS);
  store_u64(out_, FLAT_MAGIC);
  store_u64(out_ + 8, pos_);
  store_u64(out_ + 16, entries_);
  store_u64(out_ + 24, overflowed ? 1 : 0);
  return pos_;
}

i64 write_flat(const FreqTable& table, char* out) {
  FlatWriter w(out, flat_size(table));
  for (int s = 0; !table.empty() && s < FreqTable::NUM_SHARDS; s++)
    w.add_shard(s, table.shard(s));
  return w.finish(table.overflowed());
}

FlatTable::FlatTable(const char* data, i64 size) : data_(data), size_(size) {
  if (size < FLAT_HEADER_BYTES || load_u64(data) != FLAT_MAGIC)
    throw Error("flat table: bad header");
  if (i64(load_u64(data + 8)) != size)
    throw Error(fmt::format("flat table: header says {} bytes, buffer has {}",
                            load_u64(data + 8), size));
  entries_ = load_u64(data + 16);
  overflowed_ = load_u64(data + 24) & 1;
  i64 prev = FLAT_HEADER_BYTES;
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++) {
    i64 end = load_u64(shard_end_slot(data, s));
    if (end < prev || end > size || (end - prev) % 8 != 0)
      throw Error("flat table: bad shard bounds");
    prev = end;
  }
}

std::string_view FlatTable::shard_bytes(int s) const {
  i64 begin =
      s == 0 ? FLAT_HEADER_BYTES : i64(load_u64(shard_end_slot(data_, s - 1)));
  i64 end = load_u64(shard_end_slot(data_, s));
  return {data_ + begin, size_t(end - begin)};
}

i64 FlatTable::shard_entries(int s) const {
  i64 n = 0;
  for_each(s, [&](const FlatEntry&) { n++; });
  return n;
}

FlatEntry FlatTable::decode(const char*& p, const char* end) {
  FlatEntry e;
  if (end - p < RECORD_FIXED) throw Error("flat table: truncated record");
  e.hash = load_u64(p);
  e.count = load_u64(p + 8);
  e.volumes = load_u64(p + 16);
  u64 key_len = load_u64(p + 24);
  if (key_len > u64(end - p - RECORD_FIXED))
    throw Error("flat table: bad key length");
  e.key = std::string_view(p + RECORD_FIXED, key_len);
  p += record_size(key_len);
  return e;
}

void add_flat_shard(FreqShard& dest, const FlatTable& src, int s) {
  src.for_each(s, [&](const FlatEntry& e) {
    dest.add(e.key, e.hash, e.count, e.volumes);
  });
}

// Records of a shard: bytes / the smallest record, an upper bound used to
// size hash tables without a counting pass.
static i64 max_records(std::string_view bytes) {
  return bytes.size() / record_size(1);
}

FreqTable read_flat(const FlatTable& src) {
  FreqTable table;
  if (src.entries() == 0) return table;
  table.ensure_shards();
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++) {
    table.shard(s).reserve(src.shard_entries(s));
    add_flat_shard(table.shard(s), src, s);
  }
  return table;
}

i64 merged_flat_bound(std::span<const FlatTable> inputs) {
  i64 n = FLAT_HEADER_BYTES;
  for (const FlatTable& t : inputs) n += t.size_bytes() - FLAT_HEADER_BYTES;
  return n;
}

i64 merge_flat(std::span<const FlatTable> inputs, char* out, i64 capacity) {
  FlatWriter w(out, capacity);
  bool overflowed = false;
  for (const FlatTable& t : inputs) overflowed |= t.overflowed();
  for (int s = 0; s < FreqTable::NUM_SHARDS; s++) {
    std::vector<const FlatTable*> with;
    i64 bound = 0;
    for (const FlatTable& t : inputs)
      if (!t.shard_bytes(s).empty()) {
        with.push_back(&t);
        bound += max_records(t.shard_bytes(s));
      }
    if (with.size() == 1) {
      w.add_raw_shard(s, with[0]->shard_bytes(s), with[0]->shard_entries(s));
      continue;
    }
    if (with.empty()) continue;
    FreqShard shard;
    shard.reserve(bound);
    for (const FlatTable* t : with) add_flat_shard(shard, *t, s);
    overflowed |= shard.overflowed();
    w.add_shard(s, shard);
  }
  return w.finish(overflowed);
}

}  // namespace ngfreq
