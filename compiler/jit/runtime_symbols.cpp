// The table of runtime helpers generated code may call (runtime_symbols.h). Both functions are generated
// from SIGRUN_OPCODES, so a new Value- or Pair-scope opcode is callable from native code as soon as its
// helper is declared in abi/helpers.h; a missing declaration is a compile error here.
#include "jit/runtime_symbols.h"

#include "abi/helpers.h"
#include "jit/llvm_compat.h"

namespace sigrun::jit {

// Dispatch on an opcode's scope: Slot-scope opcodes have no helper (their `helper` column is nullptr).
#define SIGRUN_JIT_HELPER_NAME_Value(helper) #helper
#define SIGRUN_JIT_HELPER_NAME_Pair(helper) #helper
#define SIGRUN_JIT_HELPER_NAME_Slot(helper) nullptr

const char* helper_symbol(abi::Opcode op) {
  switch (op) {  // NOLINT(bugprone-branch-clone): every Slot-scope opcode returns nullptr
#define SIGRUN_JIT_HELPER_NAME_CASE(name, helper, scope, doc) \
  case abi::Opcode::name:                                     \
    return SIGRUN_JIT_HELPER_NAME_##scope(helper);
    SIGRUN_OPCODES(SIGRUN_JIT_HELPER_NAME_CASE)
#undef SIGRUN_JIT_HELPER_NAME_CASE
  }
  return nullptr;
}

#undef SIGRUN_JIT_HELPER_NAME_Value
#undef SIGRUN_JIT_HELPER_NAME_Pair
#undef SIGRUN_JIT_HELPER_NAME_Slot

llvm::orc::SymbolMap runtime_symbols(llvm::orc::MangleAndInterner& mangle) {
  llvm::orc::SymbolMap symbols;
  // Binding through a SigrunValueHelper / SigrunPairHelper checks each helper's signature against what
  // generated code assumes.
#define SIGRUN_JIT_SYMBOL_Value(helper) \
  symbols[mangle(#helper)] = compat::host_function_symbol(static_cast<SigrunValueHelper>(&(helper)));
#define SIGRUN_JIT_SYMBOL_Pair(helper) \
  symbols[mangle(#helper)] = compat::host_function_symbol(static_cast<SigrunPairHelper>(&(helper)));
#define SIGRUN_JIT_SYMBOL_Slot(helper)
#define SIGRUN_JIT_SYMBOL(name, helper, scope, doc) SIGRUN_JIT_SYMBOL_##scope(helper)
  SIGRUN_OPCODES(SIGRUN_JIT_SYMBOL)
#undef SIGRUN_JIT_SYMBOL
#undef SIGRUN_JIT_SYMBOL_Slot
#undef SIGRUN_JIT_SYMBOL_Pair
#undef SIGRUN_JIT_SYMBOL_Value
  return symbols;
}

}  // namespace sigrun::jit
