// Internal to the runtime. Decoding a pack's bytes (abi/pack_format.h) into a program and a view of its
// native code, checking everything on the way; Pack::load (pack.cpp) then loads the native code.
#pragma once

#include <cstdint>
#include <string_view>

#include "program/program.h"
#include "sigrun/pack.h"
#include "sigrun/result.h"

namespace sigrun::pack {

struct DecodedPack {
  PackInfo info;
  uint64_t cpu_features = 0;  // pack_format::CpuFeature bits
  program::Program program;   // passes program::verify
  std::string_view native;    // the NativeLibrary section: a view into the bytes decoded; empty when none
};

// Checks, in this order, and stops at the first failure: the magic (InvalidPack "not a sigrun pack"), the
// format version (UnsupportedPack), the header size and the file size (InvalidPack "truncated" or
// "trailing bytes"), the CRC-32 (InvalidPack "checksum mismatch"), the opcode-table fingerprint
// (UnsupportedPack), header fields, the section table, every record and string reference (InvalidPack
// naming the section and record), and finally program::verify (InvalidProgram).
Result<DecodedPack> decode(std::string_view bytes);

}  // namespace sigrun::pack
