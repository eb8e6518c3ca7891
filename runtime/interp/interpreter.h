// Internal to the runtime. The interpreter: THE reference semantics of a program. One case per opcode;
// everything non-trivial is a helper of abi/helpers.h, which native code calls too.
#pragma once

#include <cstdint>

#include "abi/program.h"
#include "program/program.h"

namespace sigrun::interp {

// The truth of one predicate on an event: Slot opcodes look at presence; Value opcodes are true when
// their helper is true for any value of the slot; Pair opcodes when their helper is true for any value of
// the slot with any value of the other slot.
bool evaluate_predicate(const abi::Predicate& predicate, const SigrunEvent& event,
                        const SigrunOperand* operands);

// The truth of boolean node `node` (And/Or short-circuit left to right).
bool evaluate_node(const program::Program& program, const SigrunOperand* operands, uint32_t node,
                   const SigrunEvent& event);

// Whether rule `rule` of `program` matches the event.
inline bool evaluate_rule(const program::Program& program, const SigrunOperand* operands, uint32_t rule,
                          const SigrunEvent& event) {
  return evaluate_node(program, operands, program.rules[rule].root, event);
}

}  // namespace sigrun::interp
