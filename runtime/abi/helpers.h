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
bool sigrun_num_compare(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_time_part(const SigrunValue* value, const SigrunOperand* operand);
bool sigrun_cidr_contains(const SigrunValue* value, const SigrunOperand* operand);

bool sigrun_field_eq(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand);
bool sigrun_field_prefix(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand);
bool sigrun_field_suffix(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand);
bool sigrun_field_contains(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand);

}  // extern "C"

namespace sigrun::abi {

// The helper of each Value-scope opcode, indexed by Opcode; nullptr for the other scopes.
extern const SigrunValueHelper kValueHelpers[kOpcodeCount];

// The helper of each Pair-scope opcode, indexed by Opcode; nullptr for the other scopes.
extern const SigrunPairHelper kPairHelpers[kOpcodeCount];

}  // namespace sigrun::abi
