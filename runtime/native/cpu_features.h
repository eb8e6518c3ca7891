// Internal to the runtime. What this machine can run: the pack_format::CpuFeature bits of the CPU, as
// CPUID reports them and the operating system has enabled their registers (XGETBV).
#pragma once

#include <cstdint>
#include <string>

namespace sigrun::native {

// Bit i set when pack_format::kCpuFeatures[i] is usable here. Computed once; thread-safe. Zero on hosts
// that are not x86-64.
uint64_t host_cpu_features();

// Whether native code built for `triple` (an LLVM target triple) can run in this process: x86-64 Linux
// code on an x86-64 Linux host. Otherwise false, with `*reason` saying why.
bool host_runs_triple(const std::string& triple, std::string* reason);

}  // namespace sigrun::native
