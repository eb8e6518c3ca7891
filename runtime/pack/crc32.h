// Internal to the runtime (and the pack writer): CRC-32 as zlib, Ethernet and PNG compute it (reflected
// polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF), so `python3 -c "import zlib; ..."` can
// check a pack by hand. Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sigrun::pack {

// The CRC of `size` bytes at `data`, continuing from `crc` (the result of an earlier call over the bytes
// before them; 0 to start). crc32(crc32(0, a, n), b, m) is the CRC of a followed by b. About 1 GB/s.
uint32_t crc32(uint32_t crc, const void* data, size_t size);

}  // namespace sigrun::pack
