// The runtime helpers that both the interpreter and native code call for every non-trivial opcode, so
// both backends share one implementation of each semantic (case folding, wildcards, numbers, regex).
// Signatures are plain C so the JIT can call them by symbol name. Each returns whether `value`
// satisfies `operand`; none allocates, throws or keeps state.
#pragma once

#include "abi/program.h"

extern "C" {

bool sigrun_str_eq(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_str_prefix(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_str_suffix(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_str_contains(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_str_glob(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_num_eq(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_bool_eq(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_regex_search(const SigrunValue* value, const SigrunOperand* operand);

}  // extern "C"

namespace sigrun::abi {

// The helper of each opcode, indexed by Opcode; nullptr for Slot-scope opcodes.
extern const SigrunValueHelper kValueHelpers[kOpcodeCount];

}  // namespace sigrun::abi
