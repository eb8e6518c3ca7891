// A Sigma filter document ("meta filter"): search identifiers and a condition that are ANDed to the rules
// it names. Produced by the frontend (frontend::read_filter), applied to rule ASTs by the driver before
// lowering (see docs/semantics.md, Filters).
#pragma once

#include <string>
#include <vector>

#include "ast/condition.h"
#include "ast/rule.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::ast {

// One entry of `filter.rules`: the id or name of a rule.
struct FilterTarget {
  std::string reference;
  diag::SourceLocation location;
};

struct Filter {
  std::string source_file;
  diag::SourceLocation location;  // start of the filter's document

  std::string title;
  std::string id;
  std::string name;
  std::string description;
  LogSource logsource;

  // `rules: any` (or an empty list): every rule whose log source the filter's contains.
  bool all_rules = false;
  std::vector<FilterTarget> rules;
  diag::SourceLocation rules_location;

  std::vector<SearchIdentifier> detection;  // in file order
  std::vector<Condition> conditions;        // a list is ORed, as in rules
};

}  // namespace sigrun::ast
