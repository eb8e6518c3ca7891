// Implements YamlValue::text_location of ast/yaml_value.h.
#include "ast/yaml_value.h"

#include <algorithm>

namespace sigrun::ast {

diag::SourceLocation YamlValue::text_location(size_t offset) const {
  if (segments.empty()) {
    diag::SourceLocation at = location;
    at.column += static_cast<uint32_t>(offset);
    return at;
  }
  // The last segment starting at or before `offset`; the first one when `offset` precedes them all.
  auto it = std::upper_bound(segments.begin(), segments.end(), offset,
                             [](size_t value, const TextSegment& segment) { return value < segment.offset; });
  if (it != segments.begin()) {
    --it;
  }
  diag::SourceLocation at = it->location;
  if (offset > it->offset) {
    at.column += static_cast<uint32_t>(offset - it->offset);
  }
  return at;
}

}  // namespace sigrun::ast
