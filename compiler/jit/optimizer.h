// Internal to compiler/jit and compiler/aot. The IR optimization both native backends run on generated
// modules, so code compiled ahead of time is optimized exactly as JIT code is.
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace sigrun::jit {

// Runs the new pass manager's default O2 pipeline over `module`, tuned for `machine` (cost models,
// inlining thresholds). Thread-safe for distinct modules and machines.
void optimize_module(llvm::Module& module, llvm::TargetMachine* machine);

}  // namespace sigrun::jit
