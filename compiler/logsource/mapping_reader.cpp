// Implements logsource::load_mapping_file and load_mapping_text (logsource/mapping.h): mapping YAML in,
// checked entries out. YAML and the Sigma detection syntax of `conditions` are read by the frontend, so
// positions, value typing and their diagnostics are those of rules.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "frontend/frontend.h"
#include "logsource/mapping.h"

namespace sigrun::logsource {

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

class MappingReader {
 public:
  MappingReader(const std::string& path, diag::DiagnosticEngine& diags, MappingSet& set)
      : path_(path), diags_(diags), set_(set) {}

  void read(const YamlValue& document) {
    if (document.kind != YamlValue::Kind::Map) {
      diags_.error("mapping-document-type", document.location,
                   "expected a map with 'logsources' in a mapping file, found " + describe(document));
      return;
    }
    const YamlValue* logsources = nullptr;
    for (const auto& [key, value] : document.entries) {
      const std::string& name = key.text;
      if (name == "logsources") {
        logsources = &value;
      } else if (name == "title" || name == "description") {
        expect_string(value, name);
      } else {
        diags_.error("mapping-unknown-attribute", key.location,
                     "unknown attribute '" + name + "'; expected 'title', 'description' or 'logsources'");
      }
    }
    if (logsources == nullptr) {
      diags_.error("mapping-missing-attribute", document.location, "missing required attribute 'logsources'");
      return;
    }
    if (logsources->kind != YamlValue::Kind::Map) {
      diags_.error("mapping-attribute-type", logsources->location,
                   "expected a map of named entries for 'logsources', found " + describe(*logsources));
      return;
    }
    for (const auto& [name, entry] : logsources->entries) {
      read_entry(name, entry);
    }
  }

 private:
  bool expect_string(const YamlValue& value, const std::string& name) {
    if (value.kind == YamlValue::Kind::Scalar && !is_null(value)) {
      return true;
    }
    diags_.error("mapping-attribute-type", value.location,
                 "expected a string for '" + name + "', found " + describe(value));
    return false;
  }

  void read_entry(const YamlValue& name, const YamlValue& value) {
    const size_t errors_before = diags_.error_count();
    if (value.kind != YamlValue::Kind::Map) {
      diags_.error("mapping-attribute-type", value.location,
                   "expected a map (product, category, service, conditions, fieldmappings) for entry '" +
                       name.text + "', found " + describe(value));
      return;
    }
    Entry entry;
    entry.name = name.text;
    entry.location = name.location;
    bool has_conditions = false;
    for (const auto& [key, field] : value.entries) {
      const std::string& attribute = key.text;
      if (attribute == "product" || attribute == "category" || attribute == "service") {
        if (!expect_string(field, attribute)) {
          continue;
        }
        std::string& out = attribute == "product"    ? entry.selector.product
                           : attribute == "category" ? entry.selector.category
                                                     : entry.selector.service;
        out = field.text;
      } else if (attribute == "conditions") {
        has_conditions = true;
        read_conditions(key, field, entry);
      } else if (attribute == "fieldmappings") {
        read_renames(field, entry);
      } else if (attribute == "description") {
        expect_string(field, attribute);
      } else {
        diags_.error("mapping-unknown-attribute", key.location,
                     "unknown attribute '" + attribute +
                         "' in a mapping entry; expected 'product', 'category', 'service', 'conditions', "
                         "'fieldmappings' or 'description'");
      }
    }
    if (entry.selector.empty()) {
      diags_.error("mapping-entry-logsource", name.location,
                   "entry '" + entry.name + "' sets none of 'product', 'category' and 'service'");
    }
    if (!has_conditions) {
      diags_.error("mapping-missing-attribute", name.location,
                   "missing required attribute 'conditions' in entry '" + entry.name +
                       "' (the field values that identify the log source's events)");
    }
    if (diags_.error_count() == errors_before) {
      set_.entries.push_back(std::move(entry));
    }
  }

  // A selection (map) or a list of selections, ORed: the shapes of a search identifier without keywords.
  void read_conditions(const YamlValue& key, const YamlValue& value, Entry& entry) {
    const bool map = value.kind == YamlValue::Kind::Map && !value.entries.empty();
    bool list = value.kind == YamlValue::Kind::Sequence && !value.items.empty();
    for (const YamlValue& item : value.items) {
      list = list && item.kind == YamlValue::Kind::Map;
    }
    if (!map && !list) {
      diags_.error("mapping-condition-shape", value.location,
                   "expected a map of field items or a list of such maps for 'conditions', found " +
                       (value.kind == YamlValue::Kind::Map        ? std::string("an empty map")
                        : value.kind == YamlValue::Kind::Sequence ? std::string("a list that is not of maps")
                                                                  : describe(value)));
      return;
    }
    auto identifier = frontend::read_search_identifier(key, value, path_, diags_);
    if (!identifier) {
      return;
    }
    for (ast::Selection& selection : identifier->selections) {
      for (const ast::FieldItem& item : selection.items) {
        if (item.field.empty()) {
          diags_.error("mapping-condition-shape", item.location,
                       "a condition item needs a field name (keyword search cannot select a log source)");
        }
      }
      entry.conditions.push_back(std::move(selection));
    }
  }

  void read_renames(const YamlValue& value, Entry& entry) {
    if (value.kind != YamlValue::Kind::Map) {
      diags_.error("mapping-attribute-type", value.location,
                   "expected a map of Sigma field name to event field name for 'fieldmappings', found " +
                       describe(value));
      return;
    }
    for (const auto& [key, target] : value.entries) {
      if (key.text.empty() || key.text.find('|') != std::string::npos) {
        diags_.error("mapping-rename", key.location,
                     "expected a field name without modifiers in 'fieldmappings', found '" + key.text + "'");
        continue;
      }
      if (target.kind != YamlValue::Kind::Scalar || is_null(target) || target.text.empty()) {
        diags_.error("mapping-rename", target.location,
                     "expected one event field name for '" + key.text + "' in 'fieldmappings', found " +
                         describe(target));
        continue;
      }
      entry.renames[key.text] = target.text;
    }
  }

  const std::string& path_;
  diag::DiagnosticEngine& diags_;
  MappingSet& set_;
};

bool load(const std::string& path, uint32_t file, const diag::SourceManager& sources,
          diag::DiagnosticEngine& diags, MappingSet& set) {
  const size_t errors_before = diags.error_count();
  for (const YamlValue& document : frontend::load_yaml(file, sources.text(file), diags)) {
    MappingReader(path, diags, set).read(document);
  }
  return diags.error_count() == errors_before;
}

}  // namespace

bool load_mapping_file(const std::string& path, diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                       MappingSet& set) {
  const std::optional<uint32_t> file = frontend::load_source_file(path, sources, diags);
  if (!file) {
    return false;
  }
  return load(path, *file, sources, diags, set);
}

bool load_mapping_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                       diag::DiagnosticEngine& diags, MappingSet& set) {
  const uint32_t file = sources.add_file(path, text);
  return load(path, file, sources, diags, set);
}

}  // namespace sigrun::logsource
