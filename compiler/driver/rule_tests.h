// Internal to the driver: the `tests` attribute of a rule (docs/authoring.md, "Test it") read into
// RuleTests, with YAML maps converted to JSON text.
#pragma once

#include <string>

#include "ast/rule.h"
#include "ast/yaml_value.h"
#include "sigrun/compiler/authoring.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::compiler::detail {

// Reads `rule`'s `tests` attribute, if it has one, into `out` (has_tests and tests). Every malformed part
// is reported as "rule-tests-shape"; returns false when anything was.
bool read_rule_tests(const ast::Rule& rule, diag::DiagnosticEngine& diags, AuthoringRule& out);

// The JSON text of a YAML value: maps become objects, lists arrays; quoted scalars are strings; plain
// scalars are null (`~`, `null`, `Null`, `NULL`, empty), booleans (`true`, `True`, `TRUE`, `false`,
// `False`, `FALSE`), numbers (when they are a JSON number as written) or else strings. Keys are strings.
std::string yaml_to_json(const ast::YamlValue& value);

}  // namespace sigrun::compiler::detail
