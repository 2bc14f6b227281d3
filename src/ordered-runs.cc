#include "ngfreq/ordered-runs.h"

#include <algorithm>
#include <cstring>

#include "ngfreq/flat-table.h"
#include "ngfreq/record-merge.h"

namespace ngfreq {

namespace {

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
  if (size_ + bytes > i64(data_.size())) {
    LargeBuffer bigger(std::max<i64>({FIRST_BYTES, 2 * i64(data_.size()), size_ + bytes}));
    if (size_ > 0) std::memcpy(bigger.data(), data_.data(), size_);
    data_ = std::move(bigger);
  }
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
      overflowed_ |= !add_count(c, count);
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
  if (count == COUNT_OVERFLOW) overflowed_ = true;
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
    sorted.overflowed_ |= overflowed_;
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
  for (i64 offset : index_) keys.push_back(key_at(data(), offset));
  return keys;
}

std::vector<std::string> choose_range_splitters(const std::vector<OrderedRun>& runs, i64 range_rows) {
  std::vector<std::string_view> sample;
  i64 records = 0;
  for (const OrderedRun& r : runs) {
    std::vector<std::string_view> s = r.sample();
    sample.insert(sample.end(), s.begin(), s.end());
    records += r.records();
  }
  std::sort(sample.begin(), sample.end());
  i64 ranges = std::min<i64>(i64(sample.size()), std::max<i64>(1, records / std::max<i64>(1, range_rows)));
  std::vector<std::string> splitters;
  for (i64 r = 1; r < ranges; r++) {
    std::string_view key = sample[r * i64(sample.size()) / ranges];
    if (splitters.empty() || key > splitters.back()) splitters.emplace_back(key);
  }
  return splitters;
}

void merge_ordered_range(const std::vector<OrderedRun>& runs, bool has_lo, std::string_view lo, bool has_hi,
                         std::string_view hi, bool& overflowed,
                         const std::function<void(std::string_view, u64, u64)>& f) {
  std::vector<RecordCursor> cursors;
  for (const OrderedRun& r : runs) {
    i64 from = has_lo ? r.lower_bound(lo) : 0;
    i64 to = has_hi ? r.lower_bound(hi) : r.bytes();
    if (from < to) cursors.emplace_back().start(r.data().substr(from, to - from));
  }
  merge_records(cursors, overflowed, f);
}

}  // namespace ngfreq
