// The frontend: rule files in, rule ASTs out. Reads YAML with yaml-cpp (keeping every node's position and
// how each scalar was written), checks the shape of each rule document, and parses condition strings with
// the PEGTL grammar in condition_grammar.h. Everything wrong is reported to the DiagnosticEngine with a
// position; yaml-cpp's exceptions never escape.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/condition.h"
#include "ast/filter.h"
#include "ast/rule.h"
#include "ast/yaml_value.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::frontend {

// Parses YAML text (file id `file` in the SourceManager) into one YamlValue per document. A syntax error
// is reported as "yaml-syntax" at yaml-cpp's position, and the documents before it are returned.
// Duplicate keys in a map are reported as "yaml-duplicate-key" at the second key. Empty documents are
// skipped. Plain `~`/`null` stay scalars (typed later); an empty value is Kind::Null, located at its key.
// Explicit tags other than !!str and merge keys are "yaml-unsupported"; "yaml-too-large" and
// "yaml-too-deep" stop the load when aliases expand past 1,000,000 nodes or nesting passes 256 levels.
std::vector<ast::YamlValue> load_yaml(uint32_t file, const std::string& text, diag::DiagnosticEngine& diags);

// Reads one rule document. Reports every problem it finds (missing title/logsource/detection, wrong
// types, a malformed condition, a condition naming an undefined search identifier, ...) and returns
// nullopt when the rule cannot be compiled. Plain detection values are typed by YAML 1.1 rules as PyYAML
// types them (unquoted 00000429 stays a string). Correlation, filter and Sigma v1 `action` documents are
// reported as "rule-unsupported-document".
std::optional<ast::Rule> read_rule(const ast::YamlValue& document, const std::string& path,
                                   diag::DiagnosticEngine& diags);

// Reads a filter document (a map with a `filter` key; Sigma filters specification): title, id, name,
// description, logsource and `filter` with `rules` (a list of rule ids or names, one id or name, or `any`),
// search identifiers and `condition`. Reports every problem ("filter-*" codes, and those of detection
// sections) and returns nullopt when the filter cannot be applied.
std::optional<ast::Filter> read_filter(const ast::YamlValue& document, const std::string& path,
                                       diag::DiagnosticEngine& diags);

// Whether a document is a filter document (a map with a `filter` key).
bool is_filter_document(const ast::YamlValue& document);

// The pieces of a rule that filters and log-source mappings (compiler/logsource) reuse, with the same
// typing and the same diagnostics as in rules. A search identifier's definition: a map, a list of maps
// (ORed) or plain values (keywords); nullopt after reporting when it is malformed.
std::optional<ast::SearchIdentifier> read_search_identifier(const ast::YamlValue& key,
                                                            const ast::YamlValue& definition,
                                                            const std::string& path,
                                                            diag::DiagnosticEngine& diags);
// A detection-like map (search identifiers and `condition`) into `rule.detection` and `rule.conditions`;
// `key` is where errors about the map as a whole point.
void read_detection(const ast::YamlValue& key, const ast::YamlValue& map, const std::string& path,
                    diag::DiagnosticEngine& diags, ast::Rule& rule);
// A `logsource` map.
ast::LogSource read_logsource(const ast::YamlValue& value, const std::string& path,
                              diag::DiagnosticEngine& diags);

// Parses a condition string. `origin` is the file position of the string's first character; node and
// error positions are computed from it (same line, origin.column + byte offset; after a line break in the
// text, the next line from column 1). Reports the first problem only: "condition-syntax" with the column
// of the offending token; "condition-pipe" for Sigma v1 aggregations (`| count() ...`) and `near`,
// pointing the author to correlation rules; "condition-too-deep" when parentheses and `not` nest deeper
// than 256 levels. Identifiers and quantifier patterns are not resolved here.
std::optional<ast::ConditionNode> parse_condition(std::string_view text, diag::SourceLocation origin,
                                                  diag::DiagnosticEngine& diags);

// Parses the condition held by a YAML scalar, as above. Positions come from the scalar's text segments,
// so they are exact also in quoted scalars, after escapes and in conditions that span lines.
std::optional<ast::ConditionNode> parse_condition(const ast::YamlValue& scalar,
                                                  diag::DiagnosticEngine& diags);

// Reads a file (a UTF-8 byte order mark is dropped) and registers it in `sources`; returns its file id. A
// file that cannot be read is reported as "file-unreadable" (line 0) and registered empty.
std::optional<uint32_t> load_source_file(const std::string& path, diag::SourceManager& sources,
                                         diag::DiagnosticEngine& diags);

// Reads a rule file (every document in it) and registers it in `sources`. A file that cannot be read is
// reported as "file-unreadable" (line 0). Returns the rules whose document had no error at all.
std::vector<ast::Rule> read_rule_file(const std::string& path, diag::SourceManager& sources,
                                      diag::DiagnosticEngine& diags);

// What a file of Sigma documents holds: detection rules and filter documents, in file order.
struct SourceFile {
  std::vector<ast::Rule> rules;
  std::vector<ast::Filter> filters;
};

// Like read_rule_file, but filter documents are read as filters instead of being rejected.
SourceFile read_source_file(const std::string& path, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags);

// The same for text held in memory; `path` names it in diagnostics.
SourceFile read_source_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags);

}  // namespace sigrun::frontend
