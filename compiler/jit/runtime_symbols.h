// Internal to compiler/jit. The host functions generated code calls: one runtime helper per Value- or
// Pair-scope opcode of SIGRUN_OPCODES, the same function the interpreter calls (abi/helpers.h), so both
// backends share one implementation of every non-trivial semantic.
#pragma once

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/Mangling.h>

#include "abi/program.h"

namespace sigrun::jit {

// The symbol generated code calls for each value (Value scope) or pair of values (Pair scope) under `op`;
// nullptr for Slot-scope opcodes.
const char* helper_symbol(abi::Opcode op);

// Every helper symbol, mangled for the session, bound to the address of the host function; the input of
// `absoluteSymbols`.
llvm::orc::SymbolMap runtime_symbols(llvm::orc::MangleAndInterner& mangle);

}  // namespace sigrun::jit
