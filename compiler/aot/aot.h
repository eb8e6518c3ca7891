// Internal to the compiler. Ahead-of-time compilation of a program's rules into a shared object for a
// pack (docs/pack-format.md, tech notes §1.6): the JIT's emitter (jit/rule_emitter.h) generates the same
// functions, the JIT's O2 pipeline optimizes them, LLVM emits one ELF object per 64 rules for the chosen
// CPU, and the system C compiler driver links them with an import-table object into one .so. This header
// shows no LLVM type; only compiler/aot/*.cpp include LLVM.
#pragma once

#include <cstdint>
#include <string>

#include "program/program.h"
#include "sigrun/result.h"

namespace sigrun::aot {

// The CPU packs are built for unless asked otherwise: x86-64-v2 (SSE4.2, POPCNT, CMPXCHG16B, LAHF), which
// every x86-64 server since 2009 has. Rule code is branches, loads and helper calls; v3's AVX2 and BMI
// measured no faster on it (docs/pack-format.md), so the wider level buys nothing and excludes machines.
inline constexpr char kDefaultCpu[] = "x86-64-v2";

struct AotOptions {
  // An x86-64 level (x86-64, x86-64-v2, x86-64-v3, x86-64-v4), any CPU name LLVM knows (skylake, znver3),
  // or "native" for this machine's CPU and features.
  std::string cpu = kDefaultCpu;
  // The C compiler driver that links the objects into a shared object (found on PATH).
  std::string linker = "cc";
  // Threads emitting objects; the machine class has 2 cores.
  unsigned threads = 2;
};

// A shared object holding a program's rule functions, and what it needs to run.
struct NativeLibrary {
  std::string bytes;          // the ELF .so
  std::string triple;         // LLVM target triple
  std::string cpu;            // LLVM CPU name it was built for
  uint64_t cpu_features = 0;  // pack_format::CpuFeature bits it needs
};

// Compiles every rule of `program` (which must pass program::verify). Errors: InvalidArgument (an unknown
// CPU name), Native (the host is not x86-64, LLVM fails, the linker is missing or fails: its output).
// Deterministic: the same program and options give the same bytes.
Result<NativeLibrary> compile_library(const program::Program& program, const AotOptions& options);

// The bytes of a pack holding `program` and, when `native` is not null, its native code
// (abi/pack_format.h). `program` must pass program::verify. Deterministic.
std::string write_pack(const program::Program& program, const NativeLibrary* native);

}  // namespace sigrun::aot
