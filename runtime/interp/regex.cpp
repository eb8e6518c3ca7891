// Implements regex.h: make_regex.
#include "interp/regex.h"

#include <re2/re2.h>

#include "program/program.h"

namespace sigrun::interp {

namespace {

std::unique_ptr<re2::RE2> build_regex(const std::string& pattern, uint32_t regex_options) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive((regex_options & program::kRegexIgnoreCase) == 0);
  options.set_dot_nl((regex_options & program::kRegexDotAll) != 0);
  // RE2 has no multi-line option outside POSIX mode; the inline flag means the same.
  auto regex = std::make_unique<re2::RE2>(
      (regex_options & program::kRegexMultiLine) ? "(?m)" + pattern : pattern, options);
  return regex;
}

}  // namespace

std::unique_ptr<re2::RE2> make_regex(const std::string& pattern, uint32_t regex_options, std::string* error) {
  auto regex = build_regex(pattern, regex_options);
  if (!regex->ok()) {
    if (error)
      *error = regex->error();
    return nullptr;
  }
  return regex;
}

std::string regex_error(const std::string& pattern, uint32_t regex_options) {
  std::string error;
  return make_regex(pattern, regex_options, &error) ? std::string() : error;
}

RegexError regex_error_detail(const std::string& pattern, uint32_t regex_options) {
  auto regex = build_regex(pattern, regex_options);
  if (regex->ok())
    return {};
  return {regex->error(), regex->error_arg()};
}

}  // namespace sigrun::interp
