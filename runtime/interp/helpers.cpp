// Implements abi/helpers.h: the value helpers shared by the interpreter and native code, and the
// kValueHelpers table. Case-insensitive operands were folded by the compiler and event values by
// extraction, so every comparison here is on bytes.
#include "abi/helpers.h"

#include <re2/re2.h>

#include <charconv>
#include <cstring>
#include <string_view>

namespace {

// The text a string predicate compares: the folded text unless the operand is cased. JSON null has no
// text: string predicates never match it (a rule tests for null with `field: null`).
inline bool subject(const SigrunValue* value, const SigrunOperand* operand, std::string_view& out) {
  if (value->kind == kSigrunNull)
    return false;
  out = (operand->flags & kSigrunCased) ? std::string_view(value->text, value->text_len)
                                        : std::string_view(value->folded, value->folded_len);
  return true;
}

inline std::string_view literal(const SigrunOperand* operand) {
  return {operand->text, operand->len};
}

// Bytes in the UTF-8 sequence that starts with `lead` (1 for invalid lead bytes, so scanning always
// advances).
inline size_t sequence_length(unsigned char lead) {
  if (lead < 0xC0)
    return 1;
  if (lead < 0xE0)
    return 2;
  if (lead < 0xF0)
    return 3;
  if (lead < 0xF8)
    return 4;
  return 1;
}

inline size_t next_code_point(std::string_view text, size_t at) {
  const size_t n = sequence_length(static_cast<unsigned char>(text[at]));
  return at + n <= text.size() ? at + n : text.size();
}

// Whole-text wildcard match. Greedy with backtracking to the last star only, which is enough because a
// later star can absorb anything an earlier one could: O(text × pattern) worst case, no recursion.
bool glob_match(std::string_view text, std::string_view pattern) {
  size_t t = 0;
  size_t p = 0;
  size_t star_p = std::string_view::npos;
  size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const auto c = static_cast<unsigned char>(pattern[p]);
      if (c == kSigrunGlobStar) {
        star_p = p++;
        star_t = t;
        continue;
      }
      if (c == kSigrunGlobQuestion) {
        t = next_code_point(text, t);
        ++p;
        continue;
      }
      if (pattern[p] == text[t]) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos)
      return false;
    p = star_p + 1;
    star_t = next_code_point(text, star_t);
    t = star_t;
  }
  while (p < pattern.size() && static_cast<unsigned char>(pattern[p]) == kSigrunGlobStar)
    ++p;
  return p == pattern.size();
}

// Parses the whole text as a JSON-style number (optional '-', digits, fraction, exponent).
bool parse_number(std::string_view text, double& out) {
  if (text.empty())
    return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

inline bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = static_cast<char>(y - 'A' + 'a');
    if (x != y)
      return false;
  }
  return true;
}

}  // namespace

extern "C" {

bool sigrun_str_eq(const SigrunValue* value, const SigrunOperand* operand) {
  std::string_view text;
  return subject(value, operand, text) && text == literal(operand);
}

bool sigrun_str_prefix(const SigrunValue* value, const SigrunOperand* operand) {
  std::string_view text;
  const std::string_view lit = literal(operand);
  return subject(value, operand, text) && text.size() >= lit.size() &&
         std::memcmp(text.data(), lit.data(), lit.size()) == 0;
}

bool sigrun_str_suffix(const SigrunValue* value, const SigrunOperand* operand) {
  std::string_view text;
  const std::string_view lit = literal(operand);
  return subject(value, operand, text) && text.size() >= lit.size() &&
         std::memcmp(text.data() + text.size() - lit.size(), lit.data(), lit.size()) == 0;
}

bool sigrun_str_contains(const SigrunValue* value, const SigrunOperand* operand) {
  std::string_view text;
  return subject(value, operand, text) && text.find(literal(operand)) != std::string_view::npos;
}

bool sigrun_str_glob(const SigrunValue* value, const SigrunOperand* operand) {
  std::string_view text;
  return subject(value, operand, text) && glob_match(text, literal(operand));
}

// Loose numeric equality (docs/semantics.md): JSON numbers and numeric strings compare as numbers; other
// strings compare as text with the rule number's canonical text (case-insensitively, e.g. for hex-like
// text that can never equal a decimal).
bool sigrun_num_eq(const SigrunValue* value, const SigrunOperand* operand) {
  if (value->kind != kSigrunNumber && value->kind != kSigrunString)
    return false;
  const std::string_view text(value->text, value->text_len);
  double number = 0;
  if (parse_number(text, number))
    return number == operand->number;
  return value->kind == kSigrunString && ascii_iequals(text, literal(operand));
}

// Loose boolean equality: JSON booleans, and the strings "true"/"false" in any case (Sysmon writes
// booleans as strings).
bool sigrun_bool_eq(const SigrunValue* value, const SigrunOperand* operand) {
  const bool want = (operand->flags & kSigrunBoolTrue) != 0;
  if (value->kind == kSigrunTrue)
    return want;
  if (value->kind == kSigrunFalse)
    return !want;
  if (value->kind != kSigrunString)
    return false;
  return ascii_iequals(std::string_view(value->text, value->text_len), want ? "true" : "false");
}

// Unanchored search, as the Sigma v2.2 draft and the corpus expect; RE2 runs in linear time.
bool sigrun_regex_search(const SigrunValue* value, const SigrunOperand* operand) {
  if (value->kind == kSigrunNull)
    return false;
  const auto* regex = static_cast<const re2::RE2*>(operand->native);
  return re2::RE2::PartialMatch(re2::StringPiece(value->text, value->text_len), *regex);
}

}  // extern "C"

namespace sigrun::abi {

const SigrunValueHelper kValueHelpers[kOpcodeCount] = {
#define SIGRUN_HELPER_ENTRY(name, helper, scope, doc) SIGRUN_HELPER_IF_##scope(helper)
#define SIGRUN_HELPER_IF_Slot(helper) nullptr,
#define SIGRUN_HELPER_IF_Value(helper) &helper,
    SIGRUN_OPCODES(SIGRUN_HELPER_ENTRY)
#undef SIGRUN_HELPER_IF_Value
#undef SIGRUN_HELPER_IF_Slot
#undef SIGRUN_HELPER_ENTRY
};

}  // namespace sigrun::abi
