// The rule AST: a Sigma detection rule as written, checked for shape but not yet lowered. Produced by
// the frontend (frontend::read_rules), consumed by IR lowering (ir::lower_rule). Holds no YAML library
// types: positions and raw scalars only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ast/condition.h"
#include "ast/yaml_value.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::ast {

// A detection value typed by YAML 1.1 rules from how it was written.
struct Value {
  enum class Kind { String, Integer, Float, Boolean, Null };
  Kind kind = Kind::String;
  std::string text;  // as written (after YAML escapes); for String the raw Sigma text, escapes unprocessed
  diag::SourceLocation location;
  std::vector<YamlValue::TextSegment> segments;  // where the bytes of `text` are (see YamlValue)

  // The file position of byte `offset` of `text`, as YamlValue::text_location.
  diag::SourceLocation text_location(size_t offset) const;
};

struct Modifier {
  std::string name;
  diag::SourceLocation location;  // of the key holding the modifier chain
};

// `field|mod1|mod2: value` or `field: [values]`. An empty field name makes it a keyword item.
struct FieldItem {
  std::string field;
  std::vector<Modifier> modifiers;
  std::vector<Value> values;  // one element for a scalar value
  bool value_is_list = false;
  diag::SourceLocation location;  // of the key
};

// One map of a search identifier: the AND of its items.
struct Selection {
  std::vector<FieldItem> items;
  diag::SourceLocation location;
};

// A search identifier of the detection section.
struct SearchIdentifier {
  std::string name;
  diag::SourceLocation location;
  // A map is one selection; a list of maps is an OR of selections.
  std::vector<Selection> selections;
  // A list of plain values (keyword search), ORed. Empty unless the identifier is a keyword list.
  std::vector<Value> keywords;
};

struct LogSource {
  std::string category;
  std::string product;
  std::string service;
  std::string definition;
  std::vector<std::pair<std::string, std::string>> custom;
};

struct Related {
  std::string id;
  std::string type;
};

struct Rule {
  std::string source_file;
  diag::SourceLocation location;  // start of the rule's document

  std::string title;
  std::string id;
  diag::SourceLocation id_location;  // of the `id` value; unset when the rule has none
  std::string name;
  std::string taxonomy;
  std::string status;
  std::string description;
  std::string license;
  std::string author;
  std::string date;
  std::string modified;
  std::string level;
  std::vector<Related> related;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<std::string> falsepositives;
  std::vector<std::string> fields;
  std::vector<std::string> scope;
  LogSource logsource;

  std::vector<SearchIdentifier> detection;  // in file order
  // The condition; a YAML list of conditions is ORed (one Condition per element).
  std::vector<Condition> conditions;

  // Triage message template (custom attribute `message`), with {{field}} placeholders.
  std::string message;
  // Every attribute not named above, as written.
  std::vector<std::pair<std::string, YamlValue>> custom;
};

}  // namespace sigrun::ast
