// Internal to the runtime (also used by the compiler to reject bad regexes with a position). How a `re`
// operand becomes a regex object: one function, so the compiler accepts exactly what the engine runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace re2 {
class RE2;
}

namespace sigrun::interp {

// Compiles `pattern` with program::RegexOption bits. Returns nullptr and sets `*error` to RE2's reason
// when the pattern is invalid. Matching is an unanchored search in linear time (RE2).
std::unique_ptr<re2::RE2> make_regex(const std::string& pattern, uint32_t regex_options, std::string* error);

// RE2's reason why make_regex would fail, or an empty string when the pattern is valid.
std::string regex_error(const std::string& pattern, uint32_t regex_options);

// Why make_regex would fail: RE2's reason and the fragment of the pattern it names (RE2's error_arg; may
// be empty). Both empty when the pattern is valid.
struct RegexError {
  std::string reason;
  std::string fragment;
};
RegexError regex_error_detail(const std::string& pattern, uint32_t regex_options);

}  // namespace sigrun::interp
