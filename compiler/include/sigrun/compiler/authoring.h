// What rule authors' tools need beyond a program: each rule's condition as written, mapped onto the
// program's boolean nodes (for `sigrun explain`), and the test events a rule carries (for `sigrun test`).
//
//   sigrun::diag::SourceManager sources;
//   sigrun::diag::DiagnosticEngine diags;
//   sigrun::compiler::AuthoringCompilation c =
//       sigrun::compiler::compile_for_authoring({"rules/aws/invite.yml"}, sources, diags);
//   const sigrun::program::Program& program = c.compilation.program;
//   for (size_t r = 0; r < program.rules.size(); ++r) {
//     for (const sigrun::compiler::RuleTest& t : c.rules[r].tests) run(t.event, t.expect_match);
//     print(c.rules[r].explanation);  // ExplainNode::node indexes program.nodes
//   }
//
// Rules are compiled as compile_rules() compiles them with default CompileOptions (no log-source routing:
// a rule's detection is what is tested and explained), filter documents among the files included. The
// program holds, besides every rule's nodes, the nodes of the parts of each condition (identifiers, maps,
// items); they are reachable from no rule root and do not change what any rule computes.
// Not thread-safe: one compilation per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sigrun/compiler/compiler.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::compiler {

// One part of a rule's condition as written. Its value on an event is the value of program node `node`;
// below an Item, the program's own nodes and predicates show how the item's values were compiled.
struct ExplainNode {
  enum class Kind {
    And,         // condition `a and b`: children
    Or,          // condition `a or b`: children
    Not,         // condition `not a`: one child
    OneOf,       // `1 of P` / `any of P`: `text` is P ("them" included); children are the identifiers P names
    AllOf,       // `all of P`: as OneOf
    Identifier,  // a search identifier: `text` is its name; children are its keyword list and its maps (ORed)
    Keywords,    // the identifier's keyword list: values searched in the whole event (ORed)
    Selection,   // one map of the identifier: children are its items (ANDed)
    Item,        // one `field|modifiers: values` entry: `text` is the key as written
  };
  Kind kind = Kind::Identifier;
  std::string text;
  uint32_t node = 0;  // index into Program::nodes
  uint32_t line = 0;  // where it is written in the rule's file (0: unknown)
  std::vector<ExplainNode> children;
};

struct RuleExplanation {
  std::vector<std::string> condition_texts;  // each condition as written
  std::vector<ExplainNode> conditions;       // the same, parsed; the rule matches when any is true
};

// One test event of a rule's `tests` attribute (docs/authoring.md).
struct RuleTest {
  bool expect_match = false;  // from the `match` list, else from `no_match`
  uint32_t index = 0;         // 1-based position in its list
  std::string event;          // the event as JSON text (a YAML map converted, or the string as written)
  uint32_t line = 0;          // where it starts in the rule's file
};

struct AuthoringRule {
  RuleExplanation explanation;
  bool has_tests = false;  // the rule has a `tests` attribute
  std::vector<RuleTest> tests;
};

struct AuthoringCompilation {
  Compilation compilation;
  std::vector<AuthoringRule> rules;  // indexed like compilation.program.rules
  std::vector<RuleListing> failed;   // rules the frontend read that then failed to compile
};

// How rules are compiled for authoring; log sources are never routed.
struct AuthoringOptions {
  // Values of `%name%` placeholders for the `expand` modifier, as CompileOptions::placeholders_path.
  std::string placeholders_path;
};

// Reads, checks and lowers every rule of `files` (each a file; see collect_rule_files) and builds their
// explanations and tests. Problems go to `diags` like compile_rules(); a malformed `tests` attribute is an
// error ("rule-tests-shape") that leaves its rule out of the program.
AuthoringCompilation compile_for_authoring(const std::vector<std::string>& files,
                                           diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                                           const AuthoringOptions& options = {});

// The same for rule text held in memory; `path` is only used in diagnostics.
AuthoringCompilation compile_text_for_authoring(const std::string& path, const std::string& text,
                                                diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                                                const AuthoringOptions& options = {});

}  // namespace sigrun::compiler
