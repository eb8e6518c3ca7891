// Implements YamlValue::text_location of ast/yaml_value.h and Value::text_location of ast/rule.h.
#include "ast/yaml_value.h"

#include <algorithm>

#include "ast/rule.h"

namespace sigrun::ast {

namespace {

diag::SourceLocation locate(const diag::SourceLocation& location,
                            const std::vector<YamlValue::TextSegment>& segments, size_t offset) {
  if (segments.empty()) {
    diag::SourceLocation at = location;
    at.column += static_cast<uint32_t>(offset);
    return at;
  }
  // The last segment starting at or before `offset`; the first one when `offset` precedes them all.
  auto it = std::upper_bound(
      segments.begin(), segments.end(), offset,
      [](size_t value, const YamlValue::TextSegment& segment) { return value < segment.offset; });
  if (it != segments.begin()) {
    --it;
  }
  diag::SourceLocation at = it->location;
  if (offset > it->offset) {
    at.column += static_cast<uint32_t>(offset - it->offset);
  }
  return at;
}

}  // namespace

diag::SourceLocation YamlValue::text_location(size_t offset) const {
  return locate(location, segments, offset);
}

diag::SourceLocation Value::text_location(size_t offset) const {
  return locate(location, segments, offset);
}

}  // namespace sigrun::ast
