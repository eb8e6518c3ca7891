// A YAML node as the frontend read it, with its position and, for scalars, how it was written. Custom
// rule attributes are kept in this form; detection values are typed from it by YAML 1.1 rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sigrun/compiler/diagnostics.h"

namespace sigrun::ast {

struct YamlValue {
  enum class Kind { Null, Scalar, Sequence, Map };
  Kind kind = Kind::Null;
  // Scalar: the text after YAML escape processing. `plain` is true when it was written unquoted, which
  // is when YAML 1.1 typing applies (unquoted 4688 is an integer, '4688' a string).
  std::string text;
  bool plain = false;
  std::vector<YamlValue> items;                          // Sequence
  std::vector<std::pair<YamlValue, YamlValue>> entries;  // Map, in file order (keys are scalars)
  diag::SourceLocation location;                         // where the node starts

  // Scalar: where the bytes of `text` are in the file, so that positions inside a scalar (in a condition
  // string) stay exact when it is quoted, has escapes or spans lines. The bytes from a segment's `offset`
  // up to the next segment's are at consecutive columns from its `location`. Empty when the text starts
  // at `location` and runs along one line (a one-line plain scalar).
  struct TextSegment {
    uint32_t offset = 0;
    diag::SourceLocation location;
  };
  std::vector<TextSegment> segments;

  // The file position of byte `offset` of `text` (an offset past the end is extrapolated on the last
  // segment's line, for errors at the end of the text).
  diag::SourceLocation text_location(size_t offset) const;
};

}  // namespace sigrun::ast
