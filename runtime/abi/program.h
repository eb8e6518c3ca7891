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
  double number;       // NumEq, NumCompare, TimePart: the rule's number; Cidr: the prefix length
  const void* native;  // Regex: the compiled regex object, owned by the engine
};

enum SigrunOperandFlags : uint32_t {
  kSigrunCased = 1u << 0,         // compare `text` against SigrunValue::text, not ::folded (also Pair scope)
  kSigrunBoolTrue = 1u << 1,      // BoolEq: the rule value is true
  kSigrunNumIsInteger = 1u << 2,  // NumEq: the rule value was written as an integer
};

// NumCompare and TimePart: how the event's number (or timestamp component) compares to the operand's
// number, in the flag bits kSigrunComparisonMask. Values outside this list match nothing.
enum SigrunComparison : uint32_t {
  kSigrunCompareEq = 0,
  kSigrunCompareGt = 1,
  kSigrunCompareGte = 2,
  kSigrunCompareLt = 3,
  kSigrunCompareLte = 4,
};
inline constexpr uint32_t kSigrunComparisonShift = 4;
inline constexpr uint32_t kSigrunComparisonMask = 0x7u << kSigrunComparisonShift;

// TimePart: which component of the timestamp is compared, in the flag bits kSigrunTimeComponentMask.
enum SigrunTimeComponent : uint32_t {
  kSigrunTimeMinute = 0,  // 0-59
  kSigrunTimeHour = 1,    // 0-23
  kSigrunTimeDay = 2,     // day of the month, 1-31
  kSigrunTimeWeek = 3,    // ISO 8601 week of the year, 1-53
  kSigrunTimeMonth = 4,   // 1-12
  kSigrunTimeYear = 5,    // the calendar year as written
};
inline constexpr uint32_t kSigrunTimeComponentShift = 8;
inline constexpr uint32_t kSigrunTimeComponentMask = 0xFu << kSigrunTimeComponentShift;

// Cidr operands: `text` holds the network's address bytes in network order (4 for IPv4, 16 for IPv6) with
// the host bits zero, `len` is 4 or 16 and `number` the prefix length. Parsed by the compiler, so the
// helper only compares bits.

// In glob operands these two bytes stand for the wildcards. Neither byte can occur in UTF-8, so every
// other byte of the pattern is literal and no escape syntax survives past the compiler.
inline constexpr unsigned char kSigrunGlobStar = 0xFF;      // any sequence, including line breaks
inline constexpr unsigned char kSigrunGlobQuestion = 0xFE;  // exactly one code point

// A value predicate: true when the value satisfies the operand. Called once per value of the slot.
typedef bool (*SigrunValueHelper)(const SigrunValue* value, const SigrunOperand* operand);

// A pair predicate: true when `value` (of the predicate's slot) and `other` (of its other slot) satisfy
// the operand. Called for every pair of values of the two slots.
typedef bool (*SigrunPairHelper)(const SigrunValue* value, const SigrunValue* other,
                                 const SigrunOperand* operand);

}  // extern "C"

static_assert(sizeof(SigrunOperand) == 32, "generated code assumes a 32-byte SigrunOperand");

namespace sigrun::abi {

// X(Name, helper, scope, description)
//   scope Slot:  the opcode looks at the slot itself (presence), never at values; no helper.
//   scope Value: the predicate is true when `helper` (a SigrunValueHelper) is true for any value of the
//                slot.
//   scope Pair:  the predicate compares two fields: it is true when `helper` (a SigrunPairHelper) is true
//                for any value of the slot together with any value of Predicate::other_slot; false when
//                either field is absent.
// Slot-scope opcodes name no helper (`none`). Every helper lives in runtime/interp/helpers.cpp and is
// declared in abi/helpers.h; the interpreter calls it through kValueHelpers/kPairHelpers and native code
// calls the same symbol by name.
#define SIGRUN_OPCODES(X)                                                                                  \
  X(Exists, none, Slot, "the field is present, whatever its value (even null or an empty array)")          \
  X(IsNull, none, Slot, "the field is absent, or its only value is JSON null")                             \
  X(StrEq, sigrun_str_eq, Value, "the value's text equals the literal")                                    \
  X(StrPrefix, sigrun_str_prefix, Value, "the value's text starts with the literal")                       \
  X(StrSuffix, sigrun_str_suffix, Value, "the value's text ends with the literal")                         \
  X(StrContains, sigrun_str_contains, Value, "the literal occurs in the value's text")                     \
  X(StrGlob, sigrun_str_glob, Value, "the value's whole text matches the wildcard pattern")                \
  X(NumEq, sigrun_num_eq, Value, "the value is numerically equal (numbers and numeric text)")              \
  X(BoolEq, sigrun_bool_eq, Value, "the value is the boolean, or its text true/false")                     \
  X(Regex, sigrun_regex_search, Value, "the regex matches somewhere in the value's text")                  \
  X(NumCompare, sigrun_num_compare, Value, "the value is a number (or numeric text) comparing as flagged") \
  X(TimePart, sigrun_time_part, Value, "the value is a timestamp whose component compares as flagged")     \
  X(Cidr, sigrun_cidr_contains, Value, "the value's text is an IP address inside the network")             \
  X(FieldEq, sigrun_field_eq, Pair, "the value's text equals the other field's")                           \
  X(FieldPrefix, sigrun_field_prefix, Pair, "the value's text starts with the other field's")              \
  X(FieldSuffix, sigrun_field_suffix, Pair, "the value's text ends with the other field's")                \
  X(FieldContains, sigrun_field_contains, Pair, "the other field's text occurs in the value's text")

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

// The helper symbol name native code calls for a Value- or Pair-scope opcode; nullptr for Slot-scope
// opcodes.
const char* opcode_helper_name(Opcode op);

enum class OpcodeScope : uint8_t { Slot, Value, Pair };

// The opcode's scope column in SIGRUN_OPCODES.
OpcodeScope opcode_scope(Opcode op);

// True when the opcode tests the slot rather than its values.
inline bool opcode_is_slot_scope(Opcode op) {
  return opcode_scope(op) == OpcodeScope::Slot;
}

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
  uint32_t slot;            // field plan slot the predicate reads
  uint32_t operand;         // index into the program's operands
  uint32_t other_slot = 0;  // Pair scope: the slot of the second field; unused otherwise
};

// The signature of a compiled rule: true when the event matches the rule.
using RuleFunction = bool (*)(const SigrunEvent* event, const SigrunOperand* operands);

}  // namespace sigrun::abi
