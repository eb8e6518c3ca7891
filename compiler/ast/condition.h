// The condition AST: what the condition string of a detection says, before identifiers and quantifier
// patterns are resolved against the search identifiers (that happens in IR lowering).
#pragma once

#include <string>
#include <vector>

#include "sigrun/compiler/diagnostics.h"

namespace sigrun::ast {

struct ConditionNode {
  enum class Kind {
    And,         // children, two or more, left to right
    Or,          // children, two or more, left to right
    Not,         // one child
    Identifier,  // `text` names a search identifier
    OneOf,       // `1 of pattern` / `any of pattern`; `text` is the pattern or "them"
    AllOf,       // `all of pattern`; `text` is the pattern or "them"
  };
  Kind kind = Kind::Identifier;
  std::string text;
  std::vector<ConditionNode> children;
  diag::SourceLocation location;  // of the node's first token, in the rule file
};

struct Condition {
  std::string text;  // the condition string as written
  ConditionNode root;
  diag::SourceLocation location;  // of the condition scalar
};

// Canonical text of a condition tree, fully parenthesized: (a and (not b)). For golden tests.
std::string dump(const ConditionNode& node);

}  // namespace sigrun::ast
