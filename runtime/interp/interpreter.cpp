// Implements interpreter.h: evaluate_predicate and evaluate_node.
#include "interp/interpreter.h"

#include "abi/helpers.h"

namespace sigrun::interp {

bool evaluate_predicate(const abi::Predicate& predicate, const SigrunEvent& event,
                        const SigrunOperand* operands) {
  const SigrunSlot& slot = event.slots[predicate.slot];
  switch (predicate.op) {
    case abi::Opcode::Exists:
      return slot.first != kSigrunAbsent;
    case abi::Opcode::IsNull:
      return slot.first == kSigrunAbsent || (slot.count == 1 && event.values[slot.first].kind == kSigrunNull);
#define SIGRUN_VALUE_CASE(name, helper, scope, doc) SIGRUN_CASE_IF_##scope(name)
#define SIGRUN_CASE_IF_Slot(name)
#define SIGRUN_CASE_IF_Value(name) case abi::Opcode::name:
#define SIGRUN_CASE_IF_Pair(name)
      SIGRUN_OPCODES(SIGRUN_VALUE_CASE)
#undef SIGRUN_CASE_IF_Pair
#undef SIGRUN_CASE_IF_Value
#undef SIGRUN_CASE_IF_Slot
#undef SIGRUN_VALUE_CASE
      {
        if (slot.first == kSigrunAbsent)
          return false;
        const SigrunValueHelper helper = abi::kValueHelpers[static_cast<int>(predicate.op)];
        const SigrunOperand* operand = &operands[predicate.operand];
        for (uint32_t k = 0; k < slot.count; ++k) {
          if (helper(&event.values[slot.first + k], operand))
            return true;
        }
        return false;
      }
#define SIGRUN_PAIR_CASE(name, helper, scope, doc) SIGRUN_CASE_IF_##scope(name)
#define SIGRUN_CASE_IF_Slot(name)
#define SIGRUN_CASE_IF_Value(name)
#define SIGRUN_CASE_IF_Pair(name) case abi::Opcode::name:
      SIGRUN_OPCODES(SIGRUN_PAIR_CASE)
#undef SIGRUN_CASE_IF_Pair
#undef SIGRUN_CASE_IF_Value
#undef SIGRUN_CASE_IF_Slot
#undef SIGRUN_PAIR_CASE
      {
        const SigrunSlot& other = event.slots[predicate.other_slot];
        if (slot.first == kSigrunAbsent || other.first == kSigrunAbsent)
          return false;
        const SigrunPairHelper helper = abi::kPairHelpers[static_cast<int>(predicate.op)];
        const SigrunOperand* operand = &operands[predicate.operand];
        for (uint32_t k = 0; k < slot.count; ++k) {
          for (uint32_t j = 0; j < other.count; ++j) {
            if (helper(&event.values[slot.first + k], &event.values[other.first + j], operand))
              return true;
          }
        }
        return false;
      }
  }
  return false;
}

bool evaluate_node(const program::Program& program, const SigrunOperand* operands, uint32_t node,
                   const SigrunEvent& event) {
  const abi::BoolNode& n = program.nodes[node];
  switch (n.op) {
    case abi::BoolOp::And:
      for (uint32_t k = 0; k < n.count; ++k) {
        if (!evaluate_node(program, operands, program.children[n.arg + k], event))
          return false;
      }
      return true;
    case abi::BoolOp::Or:
      for (uint32_t k = 0; k < n.count; ++k) {
        if (evaluate_node(program, operands, program.children[n.arg + k], event))
          return true;
      }
      return false;
    case abi::BoolOp::Not:
      return !evaluate_node(program, operands, n.arg, event);
    case abi::BoolOp::Pred:
      return evaluate_predicate(program.predicates[n.arg], event, operands);
    case abi::BoolOp::True:
      return true;
    case abi::BoolOp::False:
      return false;
  }
  return false;
}

}  // namespace sigrun::interp
