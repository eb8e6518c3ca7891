// AST -> IR: turns a rule's detection (search identifiers, field items, modifiers, values) and condition
// into predicates and a boolean DAG in a Module. Sigma's value semantics are decided here: escapes and
// wildcards, modifiers, value types; quantifiers (`1 of sel*`, `all of them`) are expanded.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ast/rule.h"
#include "ir/ir.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::ir {

// What lowering needs to know about a rule beyond its own text: where its log source's events are and
// what their fields are called, and the values of placeholders.
struct RuleContext {
  // The events of the rule's log source: an OR of selections (each an AND of field items) that is ANDed to
  // the rule's condition. Empty: the rule applies to every event.
  std::vector<ast::Selection> logsource_conditions;
  // Field renames of the log source (Sigma name -> event field), applied to the rule's fields.
  std::map<std::string, std::string> field_renames;
  // Values of %name% placeholders for the `expand` modifier; nullptr when none were given.
  const std::map<std::string, std::vector<std::string>>* placeholders = nullptr;
};

// Lowers `rule` into `module` (appending one ir::Rule). Reports every problem to `diags` and returns false
// when the rule cannot be lowered; the module then has no rule for it (interned predicates may remain and
// are harmless).
bool lower_rule(const ast::Rule& rule, Module& module, diag::DiagnosticEngine& diags,
                const RuleContext& context = {});

// Whether a quantifier pattern (`sel_*` of `1 of sel_*`) matches a whole identifier name, `*` standing for
// any characters. The `_` and `them` rules are the caller's (docs/semantics.md, Conditions).
bool quantifier_pattern_matches(const std::string& pattern, const std::string& name);

// Sigma string value -> pattern text: escapes resolved (\* \? \\), unescaped `*`/`?` turned into the
// kSigrunGlobStar/Question bytes. Exposed for tests.
std::string parse_sigma_string(const std::string& raw);

}  // namespace sigrun::ir
