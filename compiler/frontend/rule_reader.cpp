// Implements frontend::read_rule (frontend/frontend.h): one YAML document in, one checked ast::Rule out.
// Plain detection values are typed here by YAML 1.1 rules exactly as PyYAML's safe loader types them,
// because that is what pySigma, and so the Sigma ecosystem, sees (unquoted 00000429 is a string).
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "frontend/frontend.h"

namespace sigrun::frontend {

namespace {

using ast::YamlValue;

// ---- YAML 1.1 scalar typing (PyYAML's implicit resolvers, resolver.py) ----

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_digit_or_underscore(char c) {
  return is_digit(c) || c == '_';
}

bool is_null_text(std::string_view t) {
  return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL";
}

std::optional<bool> bool_value(std::string_view t) {
  for (std::string_view word : {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
    if (t == word) {
      return true;
    }
  }
  for (std::string_view word : {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
    if (t == word) {
      return false;
    }
  }
  return std::nullopt;
}

// `:[0-5]?[0-9]` repeated at least once, from `i`; leaves `i` after the last group.
bool sexagesimal_groups(std::string_view t, size_t& i) {
  size_t groups = 0;
  while (i < t.size() && t[i] == ':') {
    ++i;
    if (i + 1 < t.size() && t[i] >= '0' && t[i] <= '5' && is_digit(t[i + 1])) {
      i += 2;
    } else if (i < t.size() && is_digit(t[i])) {
      i += 1;
    } else {
      return false;
    }
    ++groups;
  }
  return groups > 0;
}

// [eE][-+][0-9]+, optional, from `i`.
bool optional_exponent(std::string_view t, size_t& i) {
  if (i == t.size() || (t[i] != 'e' && t[i] != 'E')) {
    return true;
  }
  if (i + 2 >= t.size() || (t[i + 1] != '-' && t[i + 1] != '+') || !is_digit(t[i + 2])) {
    return false;
  }
  i += 3;
  while (i < t.size() && is_digit(t[i])) {
    ++i;
  }
  return true;
}

//   [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
// | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
// | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
// | [-+]?\.(?:inf|Inf|INF)
// | \.(?:nan|NaN|NAN)
bool is_float(std::string_view t) {
  if (t == ".nan" || t == ".NaN" || t == ".NAN") {
    return true;
  }
  const bool has_sign = !t.empty() && (t[0] == '-' || t[0] == '+');
  const std::string_view body = has_sign ? t.substr(1) : t;
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    return true;
  }
  if (body.empty()) {
    return false;
  }
  size_t i = 0;
  if (body[0] == '.') {
    if (has_sign || body.size() < 2 || !is_digit(body[1])) {
      return false;
    }
    i = 2;
    while (i < body.size() && is_digit_or_underscore(body[i])) {
      ++i;
    }
    return optional_exponent(body, i) && i == body.size();
  }
  if (!is_digit(body[0])) {
    return false;
  }
  i = 1;
  while (i < body.size() && is_digit_or_underscore(body[i])) {
    ++i;
  }
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && is_digit_or_underscore(body[i])) {
      ++i;
    }
    return optional_exponent(body, i) && i == body.size();
  }
  if (!sexagesimal_groups(body, i) || i == body.size() || body[i] != '.') {
    return false;
  }
  ++i;
  while (i < body.size() && is_digit_or_underscore(body[i])) {
    ++i;
  }
  return i == body.size();
}

// Decimal digits, most significant first; arbitrary size, as Python's int.
void multiply_add(std::string& decimal, unsigned base, unsigned digit) {
  unsigned carry = digit;
  for (size_t i = decimal.size(); i > 0; --i) {
    const unsigned value = static_cast<unsigned>(decimal[i - 1] - '0') * base + carry;
    decimal[i - 1] = static_cast<char>('0' + value % 10);
    carry = value / 10;
  }
  while (carry != 0) {
    decimal.insert(decimal.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
  const size_t first = decimal.find_first_not_of('0');
  decimal.erase(0, first == std::string::npos ? decimal.size() - 1 : first);
}

unsigned digit_value(char c) {
  if (is_digit(c)) {
    return static_cast<unsigned>(c - '0');
  }
  if (c >= 'a' && c <= 'f') {
    return static_cast<unsigned>(c - 'a' + 10);
  }
  return static_cast<unsigned>(c - 'A' + 10);
}

bool all_of(std::string_view t, bool (*accept)(char)) {
  for (char c : t) {
    if (!accept(c)) {
      return false;
    }
  }
  return true;
}

//   [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
// | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
// and its value the way PyYAML's construct_yaml_int computes it, in canonical decimal.
std::optional<std::string> int_value(std::string_view t) {
  const bool negative = !t.empty() && t[0] == '-';
  const std::string_view body = !t.empty() && (t[0] == '-' || t[0] == '+') ? t.substr(1) : t;
  if (body.empty()) {
    return std::nullopt;
  }
  unsigned base = 10;
  std::string_view digits;
  bool sexagesimal = false;
  if (body.size() > 2 && body.compare(0, 2, "0b") == 0 &&
      all_of(body.substr(2), [](char c) { return c == '0' || c == '1' || c == '_'; })) {
    base = 2;
    digits = body.substr(2);
  } else if (body.size() > 2 && body.compare(0, 2, "0x") == 0 && all_of(body.substr(2), [](char c) {
               return is_digit_or_underscore(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
             })) {
    base = 16;
    digits = body.substr(2);
  } else if (body == "0") {
    digits = body;
  } else if (body[0] == '0') {
    if (!all_of(body.substr(1), [](char c) { return (c >= '0' && c <= '7') || c == '_'; })) {
      return std::nullopt;
    }
    base = 8;
    digits = body.substr(1);
  } else if (is_digit(body[0])) {
    size_t i = 1;
    while (i < body.size() && is_digit_or_underscore(body[i])) {
      ++i;
    }
    if (i != body.size()) {
      if (!sexagesimal_groups(body, i) || i != body.size()) {
        return std::nullopt;
      }
      sexagesimal = true;
    }
    digits = body;
  } else {
    return std::nullopt;
  }

  std::string decimal = "0";
  bool any_digit = false;
  size_t i = 0;
  // The first (or only) group is an ordinary number in `base`.
  for (; i < digits.size() && digits[i] != ':'; ++i) {
    if (digits[i] == '_') {
      continue;
    }
    multiply_add(decimal, base, digit_value(digits[i]));
    any_digit = true;
  }
  // Then each `:` group is one base-60 digit (Horner's rule).
  while (sexagesimal && i < digits.size()) {
    ++i;
    unsigned group = 0;
    for (; i < digits.size() && digits[i] != ':'; ++i) {
      group = group * 10 + digit_value(digits[i]);
    }
    multiply_add(decimal, 60, group);
  }
  // `0b_` matches the pattern but Python's int() rejects its empty digit string: keep such text a string.
  // An octal `0_` is fine: PyYAML reads the leading 0 as the number.
  if (!any_digit && base != 8) {
    return std::nullopt;
  }
  if (negative && decimal != "0") {
    return "-" + decimal;
  }
  return decimal;
}

// Types a scalar the way PyYAML would: quoted scalars are strings, plain ones go through the YAML 1.1
// resolvers (timestamps stay strings: Sigma has no timestamp values).
ast::Value type_value(const YamlValue& node) {
  ast::Value value;
  value.location = node.location;
  value.text = node.text;
  value.segments = node.segments;
  if (node.kind == YamlValue::Kind::Null) {
    value.kind = ast::Value::Kind::Null;
    return value;
  }
  if (!node.plain) {
    return value;
  }
  if (is_null_text(node.text)) {
    value.kind = ast::Value::Kind::Null;
    return value;
  }
  if (auto b = bool_value(node.text)) {
    value.kind = ast::Value::Kind::Boolean;
    value.text = *b ? "true" : "false";
    return value;
  }
  if (is_float(node.text)) {
    value.kind = ast::Value::Kind::Float;
    return value;
  }
  if (auto integer = int_value(node.text)) {
    value.kind = ast::Value::Kind::Integer;
    value.text = std::move(*integer);
  }
  return value;
}

bool is_null(const YamlValue& node) {
  return node.kind == YamlValue::Kind::Null ||
         (node.kind == YamlValue::Kind::Scalar && node.plain && is_null_text(node.text));
}

// What a node is, for the "found ..." part of a message.
std::string describe(const YamlValue& node) {
  switch (node.kind) {
    case YamlValue::Kind::Null:
      return "null";
    case YamlValue::Kind::Sequence:
      return "a list";
    case YamlValue::Kind::Map:
      return "a map";
    case YamlValue::Kind::Scalar:
      break;
  }
  switch (type_value(node).kind) {
    case ast::Value::Kind::Null:
      return "null";
    case ast::Value::Kind::Boolean:
      return "a boolean";
    case ast::Value::Kind::Integer:
      return "an integer";
    case ast::Value::Kind::Float:
      return "a float";
    case ast::Value::Kind::String:
      break;
  }
  return "a string";
}

// Map keys are scalars (the loader rejects others); an empty key reads as "".
const std::string& key_text(const YamlValue& key) {
  return key.text;
}

std::string quoted_list(const std::vector<std::string_view>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i != 0) {
      out += i + 1 == words.size() ? " or " : ", ";
    }
    out += "'" + std::string(words[i]) + "'";
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

const std::vector<std::string_view> kLevels = {"informational", "low", "medium", "high", "critical"};
const std::vector<std::string_view> kStatuses = {"stable", "test", "experimental", "deprecated",
                                                 "unsupported"};
const std::vector<std::string_view> kRelationTypes = {"derived", "obsolete", "merged",
                                                      "renamed", "similar",  "correlation"};

class RuleReader {
 public:
  RuleReader(const std::string& path, diag::DiagnosticEngine& diags) : path_(path), diags_(diags) {}

  // The parts of a rule that filter documents and log-source mappings share (see frontend.h).
  std::optional<ast::SearchIdentifier> identifier(const YamlValue& key, const YamlValue& definition) {
    return read_search_identifier(key, definition);
  }
  void detection(const YamlValue& key, const YamlValue& value, ast::Rule& rule) {
    read_detection(key, value, rule);
  }
  void logsource(const YamlValue& value, ast::LogSource& out) { read_logsource(value, out); }

  std::optional<ast::Rule> read(const YamlValue& document) {
    const size_t errors_before = diags_.error_count();
    if (document.kind != YamlValue::Kind::Map) {
      diags_.error("rule-document-type", document.location,
                   "expected a map of rule attributes, found " + describe(document));
      return std::nullopt;
    }
    if (!supported_kind(document)) {
      return std::nullopt;
    }

    ast::Rule rule;
    rule.source_file = path_;
    rule.location = document.location;
    bool has_title = false;
    bool has_logsource = false;
    bool has_detection = false;
    for (const auto& [key, value] : document.entries) {
      const std::string& name = key_text(key);
      if (name == "title") {
        has_title = true;
        read_string(value, name, rule.title, /*required=*/true);
      } else if (name == "logsource") {
        has_logsource = true;
        read_logsource(value, rule.logsource);
      } else if (name == "detection") {
        has_detection = true;
        read_detection(key, value, rule);
      } else if (std::string* field = string_attribute(rule, name)) {
        read_string(value, name, *field, /*required=*/false);
        if (name == "id") {
          rule.id_location = value.location;
        }
        if ((name == "date" || name == "modified") && !field->empty()) {
          check_date(*field, name, value);
        }
      } else if (std::vector<std::string>* list = list_attribute(rule, name)) {
        read_string_list(value, name, *list);
        if (name == "tags" && value.kind == YamlValue::Kind::Sequence) {
          check_tags(value);
        }
      } else if (name == "related") {
        read_related(value, rule.related);
      } else {
        rule.custom.emplace_back(name, value);
      }
    }
    const std::pair<bool, const char*> required[] = {
        {has_title, "title"}, {has_logsource, "logsource"}, {has_detection, "detection"}};
    for (const auto& [present, name] : required) {
      if (!present) {
        diags_.error("rule-missing-attribute", document.location,
                     std::string("missing required attribute '") + name + "'");
      }
    }
    check_value(rule.level, "level", kLevels, document);
    check_value(rule.status, "status", kStatuses, document);
    if (diags_.error_count() != errors_before) {
      return std::nullopt;
    }
    return rule;
  }

 private:
  static std::string* string_attribute(ast::Rule& rule, const std::string& name) {
    if (name == "id") {
      return &rule.id;
    }
    if (name == "name") {
      return &rule.name;
    }
    if (name == "taxonomy") {
      return &rule.taxonomy;
    }
    if (name == "status") {
      return &rule.status;
    }
    if (name == "description") {
      return &rule.description;
    }
    if (name == "license") {
      return &rule.license;
    }
    if (name == "author") {
      return &rule.author;
    }
    if (name == "date") {
      return &rule.date;
    }
    if (name == "modified") {
      return &rule.modified;
    }
    if (name == "level") {
      return &rule.level;
    }
    if (name == "message") {
      return &rule.message;
    }
    return nullptr;
  }

  static std::vector<std::string>* list_attribute(ast::Rule& rule, const std::string& name) {
    if (name == "references") {
      return &rule.references;
    }
    if (name == "tags") {
      return &rule.tags;
    }
    if (name == "falsepositives") {
      return &rule.falsepositives;
    }
    if (name == "fields") {
      return &rule.fields;
    }
    if (name == "scope") {
      return &rule.scope;
    }
    return nullptr;
  }

  // Correlation rules, filters and Sigma v1 collection actions are other document kinds.
  bool supported_kind(const YamlValue& document) {
    for (const auto& [key, value] : document.entries) {
      const std::string& name = key_text(key);
      const char* what = nullptr;
      if (name == "correlation") {
        what = "correlation rules are not supported";
      }
      if (name == "filter") {
        what = "filter documents are not supported";
      }
      if (name == "action") {
        what = "collection actions of Sigma v1 ('action: global', ...) are not supported";
      }
      if (what != nullptr) {
        diags_.error("rule-unsupported-document", key.location, what);
        return false;
      }
    }
    return true;
  }

  // A scalar attribute; null counts as absent for an optional one. Plain numbers and dates keep their text.
  void read_string(const YamlValue& value, const std::string& name, std::string& out, bool required) {
    if (is_null(value) && !required) {
      return;
    }
    if (value.kind != YamlValue::Kind::Scalar || is_null(value)) {
      diags_.error("rule-attribute-type", value.location,
                   "expected a string for '" + name + "', found " + describe(value));
      return;
    }
    out = value.text;
  }

  void read_string_list(const YamlValue& value, const std::string& name, std::vector<std::string>& out) {
    if (is_null(value)) {
      return;
    }
    if (value.kind != YamlValue::Kind::Sequence) {
      diags_.error("rule-attribute-type", value.location,
                   "expected a list of strings for '" + name + "', found " + describe(value));
      return;
    }
    for (const YamlValue& item : value.items) {
      if (item.kind != YamlValue::Kind::Scalar || is_null(item)) {
        diags_.error("rule-attribute-type", item.location,
                     "expected a string in the list '" + name + "', found " + describe(item));
        continue;
      }
      out.push_back(item.text);
    }
  }

  void read_logsource(const YamlValue& value, ast::LogSource& out) {
    if (value.kind != YamlValue::Kind::Map) {
      diags_.error("rule-attribute-type", value.location,
                   "expected a map for 'logsource', found " + describe(value));
      return;
    }
    for (const auto& [key, field] : value.entries) {
      const std::string& name = key_text(key);
      if (is_null(field)) {
        continue;
      }
      if (field.kind != YamlValue::Kind::Scalar) {
        diags_.error("rule-attribute-type", field.location,
                     "expected a string for 'logsource." + name + "', found " + describe(field));
        continue;
      }
      if (name == "category") {
        out.category = field.text;
      } else if (name == "product") {
        out.product = field.text;
      } else if (name == "service") {
        out.service = field.text;
      } else if (name == "definition") {
        out.definition = field.text;
      } else {
        out.custom.emplace_back(name, field.text);
      }
    }
  }

  void read_related(const YamlValue& value, std::vector<ast::Related>& out) {
    if (is_null(value)) {
      return;
    }
    if (value.kind != YamlValue::Kind::Sequence) {
      diags_.error("rule-attribute-type", value.location,
                   "expected a list of {id, type} maps for 'related', found " + describe(value));
      return;
    }
    for (const YamlValue& item : value.items) {
      if (item.kind != YamlValue::Kind::Map) {
        diags_.error("rule-attribute-type", item.location,
                     "expected an {id, type} map in 'related', found " + describe(item));
        continue;
      }
      ast::Related related;
      bool has_id = false;
      bool has_type = false;
      for (const auto& [key, field] : item.entries) {
        const std::string& name = key_text(key);
        if (name == "id") {
          has_id = true;
          read_string(field, "related.id", related.id, /*required=*/true);
        } else if (name == "type") {
          has_type = true;
          read_string(field, "related.type", related.type, /*required=*/true);
          check_value(related.type, "related.type", kRelationTypes, field);
        }
      }
      if (!has_id) {
        diags_.error("rule-missing-attribute", item.location, "missing attribute 'id' in 'related'");
      }
      if (!has_type) {
        diags_.error("rule-missing-attribute", item.location, "missing attribute 'type' in 'related'");
      }
      out.push_back(std::move(related));
    }
  }

  // `date` and `modified` are YYYY-MM-DD in Sigma v2 (pySigma still reads the v1 YYYY/MM/DD).
  void check_date(const std::string& text, const std::string& name, const YamlValue& where) {
    auto shaped = [&](char separator) {
      if (text.size() != 10 || text[4] != separator || text[7] != separator) {
        return false;
      }
      for (size_t i = 0; i < text.size(); ++i) {
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) {
          return false;
        }
      }
      return true;
    };
    if (shaped('-')) {
      return;
    }
    if (shaped('/')) {
      diags_.warning(
          "rule-attribute-format", where.location,
          "'" + name + "' is written '" + text + "'; Sigma v2 writes dates with dashes (YYYY-MM-DD)");
      return;
    }
    diags_.warning("rule-attribute-format", where.location,
                   "expected a date YYYY-MM-DD for '" + name + "', found '" + text + "'");
  }

  // Tags are `namespace.value` in lower case: ^[a-z0-9_-]+\.[a-z0-9._-]+$.
  void check_tags(const YamlValue& list) {
    auto allowed = [](char c, bool dot) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || (dot && c == '.');
    };
    for (const YamlValue& item : list.items) {
      if (item.kind != YamlValue::Kind::Scalar || is_null(item)) {
        continue;
      }
      const std::string& tag = item.text;
      const size_t dot = tag.find('.');
      bool ok = dot != std::string::npos && dot > 0 && dot + 1 < tag.size();
      for (size_t i = 0; ok && i < tag.size(); ++i) {
        ok = i == dot || allowed(tag[i], i > dot);
      }
      if (!ok) {
        diags_.warning(
            "rule-attribute-format", item.location,
            "tag '" + tag + "' is not a lower-case 'namespace.value' (such as 'attack.t1059.001')");
      }
    }
  }

  // Enumerated attributes; pySigma compares them case-insensitively.
  void check_value(const std::string& text, const std::string& name,
                   const std::vector<std::string_view>& allowed, const YamlValue& where) {
    if (text.empty()) {
      return;
    }
    const std::string lowered = lower(text);
    for (std::string_view word : allowed) {
      if (lowered == word) {
        return;
      }
    }
    diag::SourceLocation at = where.location;
    if (where.kind == YamlValue::Kind::Map) {
      for (const auto& [key, value] : where.entries) {
        if (key_text(key) == name) {
          at = value.location;
        }
      }
    }
    diags_.error("rule-attribute-value", at,
                 "expected " + quoted_list(allowed) + " for '" + name + "', found '" + text + "'");
  }

  void read_detection(const YamlValue& key, const YamlValue& value, ast::Rule& rule) {
    if (value.kind != YamlValue::Kind::Map) {
      diags_.error("rule-attribute-type", value.location,
                   "expected a map for 'detection', found " + describe(value));
      return;
    }
    const YamlValue* condition = nullptr;
    for (const auto& [name_node, definition] : value.entries) {
      const std::string& name = key_text(name_node);
      if (name == "condition") {
        condition = &definition;
        continue;
      }
      if (auto identifier = read_search_identifier(name_node, definition)) {
        rule.detection.push_back(std::move(*identifier));
      }
    }
    if (condition == nullptr) {
      diags_.error("rule-missing-attribute", key.location,
                   "missing required attribute 'condition' in 'detection'");
      return;
    }
    // Identifiers and quantifier patterns are resolved in IR lowering, after the whole rule has been read,
    // so a rule's reading errors and its lowering errors are all reported in one run.
    read_conditions(*condition, rule);
  }

  std::optional<ast::SearchIdentifier> read_search_identifier(const YamlValue& key,
                                                              const YamlValue& definition) {
    ast::SearchIdentifier identifier;
    identifier.name = key_text(key);
    identifier.location = key.location;
    const std::string& name = identifier.name;
    if (is_null(definition)) {
      diags_.error("detection-shape", definition.location,
                   "expected a map, a list or a value for search identifier '" + name + "', found null");
      return std::nullopt;
    }
    if (definition.kind == YamlValue::Kind::Scalar) {
      identifier.keywords.push_back(type_value(definition));
      return identifier;
    }
    if (definition.kind == YamlValue::Kind::Map) {
      auto selection = read_selection(name, definition);
      if (!selection) {
        return std::nullopt;
      }
      identifier.selections.push_back(std::move(*selection));
      return identifier;
    }
    if (definition.items.empty()) {
      diags_.error("detection-shape", definition.location,
                   "search identifier '" + name + "' is an empty list");
      return std::nullopt;
    }
    const bool maps = definition.items.front().kind == YamlValue::Kind::Map;
    bool ok = true;
    for (const YamlValue& item : definition.items) {
      if (item.kind == YamlValue::Kind::Sequence) {
        diags_.error("detection-shape", item.location,
                     "expected a map or a value in the list of '" + name + "', found a list");
        ok = false;
        continue;
      }
      if ((item.kind == YamlValue::Kind::Map) != maps) {
        diags_.error("detection-shape", item.location,
                     "the list of '" + name +
                         "' mixes maps and plain values, which is not supported; split it into two search "
                         "identifiers");
        return std::nullopt;
      }
      if (!maps) {
        identifier.keywords.push_back(type_value(item));
        continue;
      }
      if (auto selection = read_selection(name, item)) {
        identifier.selections.push_back(std::move(*selection));
      } else {
        ok = false;
      }
    }
    if (!ok) {
      return std::nullopt;
    }
    return identifier;
  }

  std::optional<ast::Selection> read_selection(const std::string& name, const YamlValue& map) {
    if (map.entries.empty()) {
      diags_.error("detection-shape", map.location, "search identifier '" + name + "' has an empty map");
      return std::nullopt;
    }
    ast::Selection selection;
    selection.location = map.location;
    bool ok = true;
    for (const auto& [key, value] : map.entries) {
      ast::FieldItem item;
      item.location = key.location;
      const std::string& spec = key_text(key);
      // `field|mod1|mod2`: modifiers are checked in IR lowering, where their meaning is known.
      size_t start = 0;
      size_t bar = spec.find('|');
      item.field = spec.substr(0, bar);
      while (bar != std::string::npos) {
        start = bar + 1;
        bar = spec.find('|', start);
        item.modifiers.push_back(
            ast::Modifier{spec.substr(start, bar == std::string::npos ? bar : bar - start), key.location});
      }
      if (!read_item_values(item, value)) {
        ok = false;
        continue;
      }
      selection.items.push_back(std::move(item));
    }
    if (!ok) {
      return std::nullopt;
    }
    return selection;
  }

  bool read_item_values(ast::FieldItem& item, const YamlValue& value) {
    const std::string shown = item.field.empty() ? "keyword item" : "field '" + item.field + "'";
    if (value.kind == YamlValue::Kind::Map) {
      diags_.error("detection-value-type", value.location,
                   "expected a value or a list of values for " + shown + ", found a map");
      return false;
    }
    if (value.kind != YamlValue::Kind::Sequence) {
      item.values.push_back(type_value(value));
      return true;
    }
    item.value_is_list = true;
    bool ok = true;
    for (const YamlValue& element : value.items) {
      if (element.kind == YamlValue::Kind::Map || element.kind == YamlValue::Kind::Sequence) {
        diags_.error("detection-value-type", element.location,
                     "expected a value in the list of " + shown + ", found " + describe(element));
        ok = false;
        continue;
      }
      item.values.push_back(type_value(element));
    }
    return ok;
  }

  void read_conditions(const YamlValue& value, ast::Rule& rule) {
    std::vector<const YamlValue*> scalars;
    if (value.kind == YamlValue::Kind::Scalar && !is_null(value)) {
      scalars.push_back(&value);
    } else if (value.kind == YamlValue::Kind::Sequence && !value.items.empty()) {
      for (const YamlValue& item : value.items) {
        if (item.kind != YamlValue::Kind::Scalar || is_null(item)) {
          diags_.error("rule-attribute-type", item.location,
                       "expected a condition string in the list 'condition', found " + describe(item));
          continue;
        }
        scalars.push_back(&item);
      }
    } else {
      const std::string found = value.kind == YamlValue::Kind::Sequence ? "an empty list" : describe(value);
      diags_.error(
          "rule-attribute-type", value.location,
          "expected a condition string or a list of condition strings for 'condition', found " + found);
      return;
    }
    for (const YamlValue* scalar : scalars) {
      auto root = parse_condition(*scalar, diags_);
      if (!root) {
        continue;
      }
      rule.conditions.push_back(ast::Condition{scalar->text, std::move(*root), scalar->location});
    }
  }

  const std::string& path_;
  diag::DiagnosticEngine& diags_;
};

}  // namespace

std::optional<ast::Rule> read_rule(const ast::YamlValue& document, const std::string& path,
                                   diag::DiagnosticEngine& diags) {
  return RuleReader(path, diags).read(document);
}

std::optional<ast::SearchIdentifier> read_search_identifier(const ast::YamlValue& key,
                                                            const ast::YamlValue& definition,
                                                            const std::string& path,
                                                            diag::DiagnosticEngine& diags) {
  return RuleReader(path, diags).identifier(key, definition);
}

void read_detection(const ast::YamlValue& key, const ast::YamlValue& map, const std::string& path,
                    diag::DiagnosticEngine& diags, ast::Rule& rule) {
  RuleReader(path, diags).detection(key, map, rule);
}

ast::LogSource read_logsource(const ast::YamlValue& value, const std::string& path,
                              diag::DiagnosticEngine& diags) {
  ast::LogSource out;
  RuleReader(path, diags).logsource(value, out);
  return out;
}

}  // namespace sigrun::frontend
