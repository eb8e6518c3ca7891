// Internal to compiler/aot. The CPU a pack's code is built for: an LLVM CPU name and a feature string
// that enables no x86 feature the runtime cannot check (abi/pack_format.h, SIGRUN_CPU_FEATURES), and the
// features it requires.
#pragma once

#include <llvm/Target/TargetMachine.h>

#include <cstdint>
#include <memory>
#include <string>

#include "sigrun/result.h"

namespace sigrun::aot {

struct CpuTarget {
  std::string triple;     // normalized LLVM triple of this host, e.g. x86_64-pc-linux-gnu
  std::string cpu;        // LLVM CPU name
  std::string features;   // LLVM feature string: "+name" and "-name", comma-separated, sorted
  uint64_t required = 0;  // pack_format::CpuFeature bits the code may use
};

// The target for `cpu`: an LLVM x86-64 CPU name, or "native" (this machine's CPU with its features).
// Errors: InvalidArgument (not an x86-64 CPU LLVM knows), Native (the host is not x86-64 linux, or a
// feature cannot be turned off).
Result<CpuTarget> resolve_cpu(const std::string& cpu);

// A target machine for `target` generating position-independent code at the default optimization
// level. Each thread emitting code needs its own. Errors: Native.
Result<std::unique_ptr<llvm::TargetMachine>> create_machine(const CpuTarget& target);

}  // namespace sigrun::aot
