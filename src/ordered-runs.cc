#include "ngfreq/ordered-runs.h"

#include <algorithm>
#include <cstring>

#include "ngfreq/flat-table.h"
#include "ngfreq/record-merge.h"

namespace ngfreq {

namespace {

// Decompressed bytes a block of a spilled run holds: a range's merge reads
// at least one block of every run it touches.
constexpr i64 SPILLED_BLOCK_BYTES = 64 << 10;

u64 load_u64(const char* p) {
  u64 v;
  std::memcpy(&v, p, 8);
  return v;
}

void store_u64(char* p, u64 v) { std::memcpy(p, &v, 8); }

// The key of the record at `offset` of `data`.
std::string_view key_at(std::string_view data, i64 offset) {
  return std::string_view(data.data() + offset + 32, load_u64(data.data() + offset + 24));
}

}  // namespace

// A run starts at this many bytes and doubles.
constexpr i64 FIRST_BYTES = 64 << 10;

char* OrderedRun::reserve(i64 bytes) {
  if (size_ + bytes > i64(data_.size()))
    data_.grow(std::max<i64>({FIRST_BYTES, 2 * i64(data_.size()), size_ + bytes}), size_);
  char* at = data_.data() + size_;
  size_ += bytes;
  return at;
}

void OrderedRun::add(std::string_view key, u64 count, u64 volumes) {
  if (last_ >= 0) {
    std::string_view last = key_at(data(), last_);
    if (key == last) {
      char* rec = data_.data() + last_;
      u64 c = load_u64(rec + 8), v = load_u64(rec + 16);
      add_count(c, count);  // a saturated total stays COUNT_OVERFLOW, which the merge reports
      add_count(v, volumes);
      store_u64(rec + 8, c);
      store_u64(rec + 16, v);
      return;
    }
    if (key < last) sorted_ = false;
  }
  last_ = size_;
  encode_flat_record(reserve(flat_record_size(key.size())), {key, 0, count, volumes});
  records_++;
}

void OrderedRun::clear() {
  size_ = 0;
  last_ = -1;
  records_ = 0;
  sorted_ = true;
  index_.clear();
}

void OrderedRun::finish() {
  if (!sorted_) {
    // A run out of order: sort its records and sum equal keys.
    std::vector<FlatEntry> entries;
    entries.reserve(records_);
    const char* p = data_.data();
    const char* end = p + size_;
    while (p < end) entries.push_back(FlatTable::decode(p, end));
    std::stable_sort(entries.begin(), entries.end(),
                     [](const FlatEntry& a, const FlatEntry& b) { return a.key < b.key; });
    OrderedRun sorted;
    sorted.reserve(size_);
    sorted.size_ = 0;
    for (const FlatEntry& e : entries) sorted.add(e.key, e.count, e.volumes);
    *this = std::move(sorted);
  }
  index_.clear();
  i64 offset = 0, n = 0;
  while (offset < size_) {
    if (n++ % INDEX_STRIDE == 0) index_.push_back(offset);
    offset += flat_record_size(load_u64(data_.data() + offset + 24));
  }
}

i64 OrderedRun::lower_bound(std::string_view key) const {
  // The last indexed record below `key`, then record by record.
  auto it = std::partition_point(index_.begin(), index_.end(),
                                 [&](i64 offset) { return key_at(data(), offset) < key; });
  i64 offset = it == index_.begin() ? 0 : *(it - 1);
  while (offset < size_ && key_at(data(), offset) < key)
    offset += flat_record_size(load_u64(data_.data() + offset + 24));
  return offset;
}

std::vector<std::string_view> OrderedRun::sample() const {
  std::vector<std::string_view> keys;
  if (spilled()) {
    for (const std::string& k : first_keys_) keys.push_back(k);
    return keys;
  }
  for (i64 offset : index_) keys.push_back(key_at(data(), offset));
  return keys;
}

void OrderedRun::spill(SpillFile& file) {
  std::string_view all = data();
  i64 at = 0;
  while (at < size_) {
    // A block of whole records, about SPILLED_BLOCK_BYTES.
    i64 end = at, count = 0;
    while (end < size_ && (end - at < SPILLED_BLOCK_BYTES || count == 0)) {
      end += flat_record_size(load_u64(all.data() + end + 24));
      count++;
    }
    first_keys_.emplace_back(key_at(all, at));
    blocks_.push_back(file.write(all.substr(at, end - at), count));
    at = end;
  }
  data_ = LargeBuffer();
  size_ = 0;
  index_.clear();
}

std::string_view OrderedRun::range(bool has_lo, std::string_view lo, bool has_hi, std::string_view hi,
                                   std::string& storage, const SpillFile* file) const {
  if (!spilled()) {
    i64 from = has_lo ? lower_bound(lo) : 0;
    i64 to = has_hi ? lower_bound(hi) : size_;
    return from < to ? data().substr(from, to - from) : std::string_view();
  }
  // The blocks that may hold keys of the range: from the last one starting
  // at or below lo to the last one starting below hi.
  size_t first = 0, last = blocks_.size();
  if (has_lo) {
    auto it = std::upper_bound(first_keys_.begin(), first_keys_.end(), lo,
                               [](std::string_view k, const std::string& b) { return k < b; });
    first = it == first_keys_.begin() ? 0 : size_t(it - first_keys_.begin()) - 1;
  }
  if (has_hi)
    last = std::lower_bound(first_keys_.begin(), first_keys_.end(), hi,
                            [](const std::string& b, std::string_view k) { return b < k; }) -
           first_keys_.begin();
  storage.clear();
  for (size_t b = first; b < last; b++) file->read(blocks_[b], storage);
  // Trim to [lo, hi) record by record.
  auto skip_below = [&](i64 offset, bool bounded, std::string_view bound) {
    while (bounded && offset < i64(storage.size()) && key_at(storage, offset) < bound)
      offset += flat_record_size(load_u64(storage.data() + offset + 24));
    return offset;
  };
  i64 from = skip_below(0, has_lo, lo);
  i64 to = has_hi ? skip_below(from, true, hi) : i64(storage.size());
  return std::string_view(storage).substr(from, to - from);
}

OrderedRun& OrderedRuns::run(u64 order) {
  std::lock_guard lock(mutex_);
  return by_order_[order];
}

void OrderedRuns::finished(OrderedRun& run) {
  run.finish();
  if (resident_.fetch_add(run.bytes()) + run.bytes() <= budget_ || run.records() == 0) return;
  resident_ -= run.bytes();
  run.spill(file_);
  spills_++;
}

void OrderedRuns::seal() {
  sealed_.clear();
  for (auto& [order, run] : by_order_)
    if (run.records() > 0) sealed_.push_back(&run);
}

std::vector<std::string> OrderedRuns::splitters(i64 range_rows) const {
  std::vector<std::string_view> sample;
  i64 records = 0;
  for (const OrderedRun* r : sealed_) {
    std::vector<std::string_view> s = r->sample();
    sample.insert(sample.end(), s.begin(), s.end());
    records += r->records();
  }
  std::sort(sample.begin(), sample.end());
  i64 ranges = std::min<i64>(i64(sample.size()), std::max<i64>(1, records / std::max<i64>(1, range_rows)));
  std::vector<std::string> out;
  for (i64 r = 1; r < ranges; r++) {
    std::string_view key = sample[r * i64(sample.size()) / ranges];
    if (out.empty() || key > out.back()) out.emplace_back(key);
  }
  return out;
}

void OrderedRuns::merge_range(const std::vector<std::string>& splitters, size_t r,
                              const std::function<void(std::string_view, u64, u64)>& f) const {
  bool has_lo = r > 0, has_hi = r < splitters.size();
  std::string_view lo = has_lo ? std::string_view(splitters[r - 1]) : "";
  std::string_view hi = has_hi ? std::string_view(splitters[r]) : "";
  std::vector<RecordCursor> cursors;
  cursors.reserve(sealed_.size());  // no reallocation: cursors point into their own storage
  for (const OrderedRun* run : sealed_) {
    RecordCursor& c = cursors.emplace_back();
    std::string_view records = run->range(has_lo, lo, has_hi, hi, c.storage, &file_);
    if (records.empty())
      cursors.pop_back();
    else
      c.start(records);
  }
  bool overflowed = false;  // a saturated sum is COUNT_OVERFLOW, which the caller sees
  merge_records(cursors, overflowed, f);
}

}  // namespace ngfreq
