// Internal to the runtime (also used by the compiler to fold literals). Unicode simple case folding of
// UTF-8 text, code point by code point. The compiler folds rule literals with it and extraction folds
// event values with it, so case-insensitive comparison is plain byte comparison of folded texts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sigrun::interp {

// The simple case folding of one code point (the code point itself when it has none).
uint32_t fold_code_point(uint32_t cp);

// Appends the folding of `text` to `out`. Invalid UTF-8 bytes are copied unchanged.
void append_folded(std::string_view text, std::string& out);

inline std::string fold(std::string_view text) {
  std::string out;
  append_folded(text, out);
  return out;
}

}  // namespace sigrun::interp
