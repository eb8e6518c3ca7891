// Internal to the frontend: the YAML loader behind frontend::load_yaml, also telling which documents had
// errors so read_rule_file returns only the rules whose whole document was read cleanly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ast/yaml_value.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::frontend {

// Limits that keep a hostile file from exhausting memory or stack: aliases share nodes in yaml-cpp, so a
// "billion laughs" file is small but expands exponentially when converted.
inline constexpr size_t kMaxYamlNodes = 1'000'000;
inline constexpr size_t kMaxYamlDepth = 256;

struct LoadedDocument {
  ast::YamlValue value;
  bool has_errors = false;  // an error was reported inside this document (a duplicate key, ...)
};

// As load_yaml, with each document's error status.
std::vector<LoadedDocument> load_yaml_documents(uint32_t file, const std::string& text,
                                                diag::DiagnosticEngine& diags);

}  // namespace sigrun::frontend
