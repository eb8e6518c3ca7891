// Implements placeholders.h: read_placeholders_file and read_placeholders_text.
#include "driver/placeholders.h"

#include <optional>
#include <utility>

#include "ast/yaml_value.h"
#include "frontend/frontend.h"

namespace sigrun::compiler::detail {
namespace {

const char* describe(const ast::YamlValue& node) {
  switch (node.kind) {
    case ast::YamlValue::Kind::Null:
      return "null";
    case ast::YamlValue::Kind::Scalar:
      return "a value";
    case ast::YamlValue::Kind::Sequence:
      return "a list";
    case ast::YamlValue::Kind::Map:
      return "a map";
  }
  return "a node";
}

bool is_plain_null(const ast::YamlValue& node) {
  return node.kind == ast::YamlValue::Kind::Null ||
         (node.kind == ast::YamlValue::Kind::Scalar && node.plain &&
          (node.text.empty() || node.text == "~" || node.text == "null" || node.text == "Null" ||
           node.text == "NULL"));
}

// One value of a placeholder: a scalar other than null.
bool read_value(const std::string& name, const ast::YamlValue& node, diag::DiagnosticEngine& diags,
                std::vector<std::string>& out) {
  if (node.kind != ast::YamlValue::Kind::Scalar || is_plain_null(node)) {
    diags.error("placeholders-file", node.location,
                "expected a string or a number as a value of placeholder '" + name + "', found " +
                    (is_plain_null(node) ? "null" : describe(node)));
    return false;
  }
  out.push_back(node.text);
  return true;
}

bool read_documents(uint32_t file, diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                    PlaceholderMap& out) {
  const size_t errors_before = diags.error_count();
  const std::vector<ast::YamlValue> documents = frontend::load_yaml(file, sources.text(file), diags);
  if (documents.size() > 1) {
    diags.error("placeholders-file", documents[1].location,
                "expected one YAML document mapping placeholder names to values");
  }
  if (documents.empty() && diags.error_count() == errors_before) {
    return true;  // an empty file defines no placeholders
  }
  if (documents.empty())
    return false;
  const ast::YamlValue& root = documents.front();
  if (root.kind != ast::YamlValue::Kind::Map) {
    diags.error("placeholders-file", root.location,
                std::string("expected a map of placeholder names to a value or a list of values, found ") +
                    describe(root));
    return false;
  }
  for (const auto& [key, value] : root.entries) {
    // `%name%` as in rules is the same name.
    std::string name = key.text;
    if (name.size() > 2 && name.front() == '%' && name.back() == '%')
      name = name.substr(1, name.size() - 2);
    std::vector<std::string> values;
    if (value.kind == ast::YamlValue::Kind::Sequence) {
      if (value.items.empty()) {
        diags.error("placeholders-file", value.location,
                    "placeholder '" + name + "' has an empty list of values");
        continue;
      }
      bool ok = true;
      for (const ast::YamlValue& item : value.items)
        ok = read_value(name, item, diags, values) && ok;
      if (!ok)
        continue;
    } else if (value.kind == ast::YamlValue::Kind::Null) {
      // An empty value is located at its key.
      diags.error("placeholders-file", key.location, "placeholder '" + name + "' has no value");
      continue;
    } else if (!read_value(name, value, diags, values)) {
      continue;
    }
    out[name] = std::move(values);
  }
  return diags.error_count() == errors_before;
}

}  // namespace

bool read_placeholders_file(const std::string& path, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags, PlaceholderMap& out) {
  const std::optional<uint32_t> file = frontend::load_source_file(path, sources, diags);
  if (!file)
    return false;
  return read_documents(*file, sources, diags, out);
}

bool read_placeholders_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags, PlaceholderMap& out) {
  return read_documents(sources.add_file(path, text), sources, diags, out);
}

}  // namespace sigrun::compiler::detail
