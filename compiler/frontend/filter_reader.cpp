// Implements frontend::read_filter and is_filter_document (frontend/frontend.h): one YAML document of the
// Sigma filters specification in, one checked ast::Filter out. The `filter` section is read like a rule's
// detection (same identifiers, value typing and condition grammar), minus its `rules` key.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "frontend/frontend.h"

namespace sigrun::frontend {

namespace {

using ast::YamlValue;

bool is_null(const YamlValue& node) {
  return node.kind == YamlValue::Kind::Null ||
         (node.kind == YamlValue::Kind::Scalar && node.plain &&
          (node.text.empty() || node.text == "~" || node.text == "null" || node.text == "Null" ||
           node.text == "NULL"));
}

std::string describe(const YamlValue& node) {
  if (is_null(node)) {
    return "null";
  }
  switch (node.kind) {
    case YamlValue::Kind::Sequence:
      return "a list";
    case YamlValue::Kind::Map:
      return "a map";
    case YamlValue::Kind::Null:
    case YamlValue::Kind::Scalar:
      break;
  }
  return "a string";
}

class FilterReader {
 public:
  FilterReader(const std::string& path, diag::DiagnosticEngine& diags) : path_(path), diags_(diags) {}

  std::optional<ast::Filter> read(const YamlValue& document) {
    const size_t errors_before = diags_.error_count();
    ast::Filter filter;
    filter.source_file = path_;
    filter.location = document.location;
    bool has_title = false;
    bool has_logsource = false;
    const YamlValue* section_key = nullptr;
    const YamlValue* section = nullptr;
    for (const auto& [key, value] : document.entries) {
      const std::string& name = key.text;
      if (name == "title") {
        has_title = true;
        read_string(value, name, filter.title, /*required=*/true);
      } else if (name == "id") {
        read_string(value, name, filter.id, /*required=*/false);
      } else if (name == "name") {
        read_string(value, name, filter.name, /*required=*/false);
      } else if (name == "description") {
        read_string(value, name, filter.description, /*required=*/false);
      } else if (name == "logsource") {
        has_logsource = true;
        if (value.kind != YamlValue::Kind::Map) {
          diags_.error("filter-attribute-type", value.location,
                       "expected a map for 'logsource', found " + describe(value));
        } else {
          filter.logsource = read_logsource(value, path_, diags_);
        }
      } else if (name == "filter") {
        section_key = &key;
        section = &value;
      }
      // Other attributes (date, modified, author, taxonomy, ...) are metadata a filter does not use.
    }
    if (!has_title) {
      diags_.error("filter-missing-attribute", document.location, "missing required attribute 'title'");
    }
    if (!has_logsource) {
      diags_.error("filter-missing-attribute", document.location, "missing required attribute 'logsource'");
    }
    read_section(*section_key, *section, filter);
    if (diags_.error_count() != errors_before) {
      return std::nullopt;
    }
    return filter;
  }

 private:
  void read_string(const YamlValue& value, const std::string& name, std::string& out, bool required) {
    if (is_null(value) && !required) {
      return;
    }
    if (value.kind != YamlValue::Kind::Scalar || is_null(value)) {
      diags_.error("filter-attribute-type", value.location,
                   "expected a string for '" + name + "', found " + describe(value));
      return;
    }
    out = value.text;
  }

  // `filter:` holds `rules`, search identifiers and `condition`.
  void read_section(const YamlValue& key, const YamlValue& value, ast::Filter& filter) {
    if (value.kind != YamlValue::Kind::Map) {
      diags_.error("filter-attribute-type", value.location,
                   "expected a map of 'rules', search identifiers and 'condition' for 'filter', found " +
                       describe(value));
      return;
    }
    YamlValue detection = value;
    detection.entries.clear();
    bool has_rules = false;
    bool has_condition = false;
    for (const auto& entry : value.entries) {
      if (entry.first.text == "rules") {
        has_rules = true;
        read_rules(entry.second, filter);
        continue;
      }
      has_condition = has_condition || entry.first.text == "condition";
      detection.entries.push_back(entry);
    }
    if (!has_rules) {
      diags_.error("filter-missing-attribute", key.location,
                   "missing required attribute 'rules' in 'filter' (rule ids or names, or 'any')");
    }
    if (!has_condition) {
      diags_.error("filter-missing-attribute", key.location,
                   "missing required attribute 'condition' in 'filter'");
      return;
    }
    ast::Rule parts;
    read_detection(key, detection, path_, diags_, parts);
    filter.detection = std::move(parts.detection);
    filter.conditions = std::move(parts.conditions);
  }

  void read_rules(const YamlValue& value, ast::Filter& filter) {
    filter.rules_location = value.location;
    if (value.kind == YamlValue::Kind::Scalar && !is_null(value)) {
      if (value.text == "any") {
        filter.all_rules = true;
      } else {
        filter.rules.push_back({value.text, value.location});
      }
      return;
    }
    if (value.kind != YamlValue::Kind::Sequence) {
      diags_.error("filter-attribute-type", value.location,
                   "expected a list of rule ids or names, or 'any', for 'rules', found " + describe(value));
      return;
    }
    // An empty list, like `any`, selects every rule of the filter's log source (Sigma v2.2 draft).
    filter.all_rules = value.items.empty();
    for (const YamlValue& item : value.items) {
      if (item.kind != YamlValue::Kind::Scalar || is_null(item)) {
        diags_.error("filter-attribute-type", item.location,
                     "expected a rule id or name in 'rules', found " + describe(item));
        continue;
      }
      filter.rules.push_back({item.text, item.location});
    }
  }

  const std::string& path_;
  diag::DiagnosticEngine& diags_;
};

}  // namespace

bool is_filter_document(const ast::YamlValue& document) {
  if (document.kind != YamlValue::Kind::Map) {
    return false;
  }
  for (const auto& entry : document.entries) {
    if (entry.first.text == "filter") {
      return true;
    }
  }
  return false;
}

std::optional<ast::Filter> read_filter(const ast::YamlValue& document, const std::string& path,
                                       diag::DiagnosticEngine& diags) {
  if (!is_filter_document(document)) {
    diags.error("filter-missing-attribute", document.location, "missing required attribute 'filter'");
    return std::nullopt;
  }
  return FilterReader(path, diags).read(document);
}

}  // namespace sigrun::frontend
