// IR -> runtime program: slots for every field the predicates and messages read, operands (literals
// case-folded here unless cased, so no event pays for folding rule text), predicates in the abi opcode
// table's terms, the boolean DAG and rule metadata.
#pragma once

#include "ir/ir.h"
#include "program/program.h"

namespace sigrun::codegen {

program::Program lower_to_program(const ir::Module& module);

}  // namespace sigrun::codegen
