// Building rule packs: a compiled program and its rules' native code, compiled ahead of time, in one file
// the runtime loads without a compiler (sigrun/pack.h; the format is docs/pack-format.md).
//
//   sigrun::compiler::Compilation c = sigrun::compiler::compile_rules(files, sources, diags);
//   sigrun::Result<std::string> pack = sigrun::compiler::build_pack(c.program);   // x86-64-v2, O2
//   if (!pack) return fail(pack.error().message);
//   if (auto written = sigrun::compiler::write_pack_file("rules.pack", pack.value()); !written)
//     return fail(written.error().message);
//
// Not thread-safe to share options; build_pack() itself may run on several threads at once.
#pragma once

#include <string>
#include <string_view>

#include "program/program.h"
#include "sigrun/result.h"

namespace sigrun::compiler {

struct PackOptions {
  // The CPU the native code is built for: an x86-64 level (x86-64, x86-64-v2 — the default —, x86-64-v3,
  // x86-64-v4), an x86-64 CPU name LLVM knows (skylake, znver3), "native" for this machine, or "none" for
  // a pack without native code (its rules run in the interpreter; no LLVM or linker needed).
  std::string cpu = "x86-64-v2";
  // The C compiler driver that links the native code into a shared object, found on PATH.
  std::string linker = "cc";
};

// Whether this build can compile native code for packs (it was built with LLVM).
bool native_packs_available();

// The bytes of a pack of `program`: the program and, unless options.cpu is "none", its rules compiled at
// O2 for options.cpu by the JIT's code generator. The same program and options give the same bytes.
// Cost: LLVM at O2, about 30 s per 1,000 SigmaHQ rules on 2 cores. Errors: InvalidProgram (program::verify
// fails), InvalidArgument (an unknown cpu), Native (built without LLVM, a host that is not x86-64 linux, LLVM
// or the linker failed, with their messages).
Result<std::string> build_pack(const program::Program& program, const PackOptions& options = {});

// Writes `bytes` to `path` as a whole: to a temporary file in the same directory, then renamed over
// `path`, so a reader never sees half a pack. Errors: Io, with the path and the system's reason.
Status write_pack_file(const std::string& path, std::string_view bytes);

}  // namespace sigrun::compiler
