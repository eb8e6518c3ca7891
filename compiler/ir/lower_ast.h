// AST -> IR: turns a rule's detection (search identifiers, field items, modifiers, values) and condition
// into predicates and a boolean DAG in a Module. Sigma's value semantics are decided here: escapes and
// wildcards, modifiers, value types; quantifiers (`1 of sel*`, `all of them`) are expanded.
#pragma once

#include "ast/rule.h"
#include "ir/ir.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::ir {

// Lowers `rule` into `module` (appending one ir::Rule). Reports every problem to `diags` and returns false
// when the rule cannot be lowered; the module then has no rule for it (interned predicates may remain and
// are harmless).
bool lower_rule(const ast::Rule& rule, Module& module, diag::DiagnosticEngine& diags);

// Sigma string value -> pattern text: escapes resolved (\* \? \\), unescaped `*`/`?` turned into the
// kSigrunGlobStar/Question bytes. Exposed for tests.
std::string parse_sigma_string(const std::string& raw);

}  // namespace sigrun::ir
