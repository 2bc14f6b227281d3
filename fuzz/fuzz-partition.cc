// Fuzzes the partition splitter: a file cut into partitions of any size and
// read back with PartitionReader yields every byte exactly once, in order,
// and every partition starts at a line start.
#include <string>

#include "fuzz-input.h"
#include "ngfreq/partition.h"

using namespace ngfreq;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  i64 partition_size = 1 + in.u16() % 512;
  std::string_view bytes = in.rest();
  fuzz::MemoryFile file(bytes);
  std::string path = file.path();

  std::string read_back;
  for (const Partition& part : plan_partitions(0, bytes.size(), partition_size)) {
    PartitionReader reader(file.fd(), path, bytes.size(), part);
    std::string_view piece;
    bool first = true;
    while (reader.next(piece)) {
      if (first) {
        size_t at = read_back.size();
        fuzz::check(at == 0 || bytes[at - 1] == '\n', "a partition starts at a line start");
        first = false;
      }
      read_back.append(piece);
    }
  }
  fuzz::check(read_back == bytes, "the partitions hold every byte exactly once, in order");
  return 0;
}
