// The LLVM ORC JIT backend: compiles a runtime program's rules to native functions. This header shows
// no LLVM type; only files in compiler/jit include LLVM headers.
#pragma once

#include <memory>

#include "program/program.h"
#include "sigrun/engine.h"
#include "sigrun/result.h"

namespace sigrun::jit {

struct JitOptions {
  // Run LLVM's O2 pipeline over the generated modules and generate code at the default level. Off: no IR
  // passes and the fast (-O0) code generator, about 10x quicker to compile; `sigrun scan --rules` uses it,
  // offline packs use O2.
  bool optimize = true;
};

// Generates LLVM IR for every rule of `program` (one function per rule computing its boolean DAG, Value
// opcodes calling the shared runtime helpers of abi/helpers.h, Slot opcodes and the any-value loop
// inline, each Value-scope predicate one shared function), compiles it with LLJIT and returns the functions.
// The returned NativeCode keeps the JIT session alive. Errors: Native, with LLVM's message.
Result<std::shared_ptr<const NativeCode>> compile(const program::Program& program,
                                                  const JitOptions& options = {});

}  // namespace sigrun::jit
