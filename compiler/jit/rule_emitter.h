// Internal to compiler/jit (and compiler/aot, which emits the same functions ahead of time). LLVM IR for a
// program's rules: one function per rule,
//
//   bool sigrun_rule_<i>(const SigrunEvent* event, const SigrunOperand* operands)   (abi::RuleFunction)
//
// computing the rule's boolean DAG as short-circuit control flow. Slot-scope opcodes and the loop over a
// slot's values are inline; each value is tested by a call to the opcode's runtime helper, the function
// the interpreter calls, except StrEq, whose helper is a length test and a byte comparison and is emitted
// inline against the literal.
#pragma once

#include <llvm/ADT/Triple.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/DataLayout.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "program/program.h"
#include "sigrun/result.h"

namespace sigrun::jit {

// Which nodes are emitted as functions of their own instead of being copied into every function that
// uses them. Copying keeps short-circuit branches direct, but a node shared inside a DAG would be copied
// once per path to it, which grows exponentially with nesting; so a node used more than once whose copy
// would be large is called instead. Computed once per program, shared by all its modules.
class EmitPlan {
 public:
  // Largest expansion, in leaves and calls, of a shared node that is still copied.
  static constexpr uint64_t kInlineBudget = 32;

  // `program` must pass program::verify (children before parents).
  explicit EmitPlan(const program::Program& program);

  bool outlined(uint32_t node) const { return outlined_[node]; }

 private:
  std::vector<bool> outlined_;
};

// Rules per module, for the JIT and ahead-of-time compilation alike. One module per rule spreads code over
// thousands of pages and compiles slower; one module for everything cannot be split across compile
// threads. Chunks of 64 measured best (tech notes §1.5: 3,000 rules at O2 in 2.65 s on 2 threads against
// 5.19 s in one module).
inline constexpr size_t kRulesPerModule = 64;

// The symbol of the function of program.rules[rule].
std::string rule_symbol(size_t rule);

// A module, in a context of its own, defining the functions of rules [begin, end) for the given target.
// `program` must pass program::verify and use only opcodes of SIGRUN_OPCODES. Errors: Native (LLVM lays
// out an ABI struct differently from slots.h/program.h; the generated IR fails verification).
Result<llvm::orc::ThreadSafeModule> emit_rules(const program::Program& program, const EmitPlan& plan,
                                               size_t begin, size_t end, const llvm::DataLayout& layout,
                                               const llvm::Triple& triple);

}  // namespace sigrun::jit
