// The opcode table shared by the interpreter and the native backends, and the operand layout that
// compiled code reads. Adding an opcode here is the only way to add one: the interpreter's switch, the
// JIT's emitter and the helper table are all generated from SIGRUN_OPCODES, so a backend cannot forget
// one (the compiler's -Wswitch makes a missing case an error).
#pragma once

#include <cstdint>

#include "abi/slots.h"

extern "C" {

// A prepared operand, built by the runtime from the program's constants when an engine is created.
// Compiled code receives the operand array and passes &operands[i] to helpers; it reads `text`/`len`
// directly only for the inline opcodes.
struct SigrunOperand {
  const char* text;    // literal (already case-folded unless the predicate is cased); glob pattern
  uint32_t len;        // byte length of `text`
  uint32_t flags;      // SigrunOperandFlags
  double number;       // NumEq: the value as a double
  const void* native;  // Regex: the compiled regex object, owned by the engine
};

enum SigrunOperandFlags : uint32_t {
  kSigrunCased = 1u << 0,         // compare `text` against SigrunValue::text, not ::folded
  kSigrunBoolTrue = 1u << 1,      // BoolEq: the rule value is true
  kSigrunNumIsInteger = 1u << 2,  // NumEq: the rule value was written as an integer
};

// In glob operands these two bytes stand for the wildcards. Neither byte can occur in UTF-8, so every
// other byte of the pattern is literal and no escape syntax survives past the compiler.
inline constexpr unsigned char kSigrunGlobStar = 0xFF;      // any sequence, including line breaks
inline constexpr unsigned char kSigrunGlobQuestion = 0xFE;  // exactly one code point

// A value predicate: true when the value satisfies the operand. Called once per value of the slot.
typedef bool (*SigrunValueHelper)(const SigrunValue* value, const SigrunOperand* operand);

}  // extern "C"

static_assert(sizeof(SigrunOperand) == 32, "generated code assumes a 32-byte SigrunOperand");

namespace sigrun::abi {

// X(Name, helper, scope, description)
//   scope Slot:  the opcode looks at the slot itself (presence), never at values; no helper.
//   scope Value: the predicate is true when `helper` is true for any value of the slot.
// Slot-scope opcodes name no helper (`none`). Every helper lives in runtime/interp/helpers.cpp and is
// declared in abi/helpers.h; the interpreter calls it through kValueHelpers and native code calls the same
// symbol by name.
#define SIGRUN_OPCODES(X)                                                                         \
  X(Exists, none, Slot, "the field is present, whatever its value (even null or an empty array)") \
  X(IsNull, none, Slot, "the field is absent, or its only value is JSON null")                    \
  X(StrEq, sigrun_str_eq, Value, "the value's text equals the literal")                           \
  X(StrPrefix, sigrun_str_prefix, Value, "the value's text starts with the literal")              \
  X(StrSuffix, sigrun_str_suffix, Value, "the value's text ends with the literal")                \
  X(StrContains, sigrun_str_contains, Value, "the literal occurs in the value's text")            \
  X(StrGlob, sigrun_str_glob, Value, "the value's whole text matches the wildcard pattern")       \
  X(NumEq, sigrun_num_eq, Value, "the value is numerically equal (numbers and numeric text)")     \
  X(BoolEq, sigrun_bool_eq, Value, "the value is the boolean, or its text true/false")            \
  X(Regex, sigrun_regex_search, Value, "the regex matches somewhere in the value's text")

enum class Opcode : uint8_t {
#define SIGRUN_OPCODE_ENUM(name, helper, scope, doc) name,
  SIGRUN_OPCODES(SIGRUN_OPCODE_ENUM)
#undef SIGRUN_OPCODE_ENUM
};

inline constexpr int kOpcodeCount = 0
#define SIGRUN_OPCODE_COUNT(name, helper, scope, doc) +1
    SIGRUN_OPCODES(SIGRUN_OPCODE_COUNT)
#undef SIGRUN_OPCODE_COUNT
    ;

// The stable textual name of an opcode, for dumps and explain output.
const char* opcode_name(Opcode op);

// The helper symbol name native code calls for a Value-scope opcode; nullptr for Slot-scope opcodes.
const char* opcode_helper_name(Opcode op);

// True when the opcode tests the slot rather than its values.
bool opcode_is_slot_scope(Opcode op);

// Boolean structure of rules. Nodes form one DAG shared by all rules of a program (identical
// sub-expressions are one node).
enum class BoolOp : uint8_t {
  And,    // all children (Program::children[arg .. arg+count)) are true; evaluated left to right
  Or,     // any child is true; evaluated left to right
  Not,    // node `arg` is false
  Pred,   // predicate `arg` is true
  True,   // constant
  False,  // constant
};

struct BoolNode {
  BoolOp op;
  uint32_t arg;
  uint32_t count;
};

struct Predicate {
  Opcode op;
  uint32_t slot;     // field plan slot the predicate reads
  uint32_t operand;  // index into the program's operands
};

// The signature of a compiled rule: true when the event matches the rule.
using RuleFunction = bool (*)(const SigrunEvent* event, const SigrunOperand* operands);

}  // namespace sigrun::abi
