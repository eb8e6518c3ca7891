// Implements abi/helpers.h: the value and pair helpers shared by the interpreter and native code, and
// the kValueHelpers/kPairHelpers tables. Case-insensitive operands were folded by the compiler and event
// values by extraction, so every comparison here is on bytes.
#include "abi/helpers.h"

#include <re2/re2.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include "interp/ip_address.h"

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

// A number as the ordered comparisons read it: the whole text is a finite JSON-style number (so "inf",
// "nan", "0x10", " 5" and "" are not numbers).
bool parse_finite_number(std::string_view text, double& out) {
  if (text.empty() || !(text[0] == '-' || text[0] == '.' || (text[0] >= '0' && text[0] <= '9')))
    return false;
  return parse_number(text, out) && std::isfinite(out);
}

bool compare(double left, double right, uint32_t flags) {
  switch ((flags & kSigrunComparisonMask) >> kSigrunComparisonShift) {
    case kSigrunCompareEq:
      return left == right;
    case kSigrunCompareGt:
      return left > right;
    case kSigrunCompareGte:
      return left >= right;
    case kSigrunCompareLt:
      return left < right;
    case kSigrunCompareLte:
      return left <= right;
    default:
      return false;
  }
}

// The components of a timestamp as written (no time zone conversion).
struct Timestamp {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  bool has_time = false;
};

// Reads exactly `count` digits at `at`.
bool read_digits(std::string_view text, size_t& at, size_t count, int& out) {
  if (at + count > text.size())
    return false;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + (c - '0');
  }
  at += count;
  out = value;
  return true;
}

inline bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// ISO 8601 / RFC 3339 date-times: YYYY-MM-DD, optionally followed by `T`, `t` or a space and
// HH:MM[:SS[.fraction]] and a zone (`Z`, `z`, ±HH, ±HHMM or ±HH:MM). The whole text must be the timestamp.
bool parse_timestamp(std::string_view text, Timestamp& out) {
  size_t at = 0;
  if (!read_digits(text, at, 4, out.year) || at >= text.size() || text[at++] != '-' ||
      !read_digits(text, at, 2, out.month) || at >= text.size() || text[at++] != '-' ||
      !read_digits(text, at, 2, out.day)) {
    return false;
  }
  if (out.month < 1 || out.month > 12 || out.day < 1 || out.day > days_in_month(out.year, out.month))
    return false;
  if (at == text.size())
    return true;
  if (text[at] != 'T' && text[at] != 't' && text[at] != ' ')
    return false;
  ++at;
  if (!read_digits(text, at, 2, out.hour) || at >= text.size() || text[at++] != ':' ||
      !read_digits(text, at, 2, out.minute) || out.hour > 23 || out.minute > 59) {
    return false;
  }
  out.has_time = true;
  if (at < text.size() && text[at] == ':') {
    ++at;
    int second = 0;
    if (!read_digits(text, at, 2, second) || second > 60)  // 60: a leap second
      return false;
    if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
      const size_t begin = ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9')
        ++at;
      if (at == begin)
        return false;
    }
  }
  if (at == text.size())
    return true;
  if (text[at] == 'Z' || text[at] == 'z')
    return at + 1 == text.size();
  if (text[at] != '+' && text[at] != '-')
    return false;
  ++at;
  int zone_hours = 0;
  int zone_minutes = 0;
  if (!read_digits(text, at, 2, zone_hours) || zone_hours > 23)
    return false;
  if (at == text.size())
    return true;
  if (text[at] == ':')
    ++at;
  return read_digits(text, at, 2, zone_minutes) && zone_minutes <= 59 && at == text.size();
}

// Day of the week, Monday = 1 ... Sunday = 7 (Sakamoto's method).
int iso_weekday(int year, int month, int day) {
  static constexpr int kOffsets[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (month < 3)
    --year;
  const int sunday_zero =
      ((year + year / 4 - year / 100 + year / 400 + kOffsets[month - 1] + day) % 7 + 7) % 7;
  return sunday_zero == 0 ? 7 : sunday_zero;
}

// Weeks in ISO week-numbering year `year`: 53 when it starts on a Thursday, or on a Wednesday in a leap
// year; else 52.
int iso_weeks_in_year(int year) {
  const int january_first = iso_weekday(year, 1, 1);
  return january_first == 4 || (january_first == 3 && is_leap_year(year)) ? 53 : 52;
}

int iso_week(int year, int month, int day) {
  int day_of_year = day;
  for (int m = 1; m < month; ++m)
    day_of_year += days_in_month(year, m);
  const int week = (day_of_year - iso_weekday(year, month, day) + 10) / 7;
  if (week < 1)
    return iso_weeks_in_year(year - 1);
  if (week > iso_weeks_in_year(year))
    return 1;
  return week;
}

// The text the pair helpers compare: folded unless the operand is cased; JSON null has none.
inline bool pair_subjects(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand,
                          std::string_view& text, std::string_view& other_text) {
  return subject(value, operand, text) && subject(other, operand, other_text);
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

// Ordered comparison (gt/gte/lt/lte): JSON numbers and numeric strings compare as numbers; any other
// value, including text that is not a finite number, never matches.
bool sigrun_num_compare(const SigrunValue* value, const SigrunOperand* operand) {
  if (value->kind != kSigrunNumber && value->kind != kSigrunString)
    return false;
  double number = 0;
  return parse_finite_number(std::string_view(value->text, value->text_len), number) &&
         compare(number, operand->number, operand->flags);
}

// Time modifiers: the component of a string holding an ISO 8601 / RFC 3339 timestamp, as written (no
// conversion to UTC). Text that is not such a timestamp, numbers (epoch times) and the hour or minute of a
// date without a time never match.
bool sigrun_time_part(const SigrunValue* value, const SigrunOperand* operand) {
  if (value->kind != kSigrunString)
    return false;
  Timestamp t;
  if (!parse_timestamp(std::string_view(value->text, value->text_len), t))
    return false;
  int part = 0;
  switch ((operand->flags & kSigrunTimeComponentMask) >> kSigrunTimeComponentShift) {
    case kSigrunTimeMinute:
      if (!t.has_time)
        return false;
      part = t.minute;
      break;
    case kSigrunTimeHour:
      if (!t.has_time)
        return false;
      part = t.hour;
      break;
    case kSigrunTimeDay:
      part = t.day;
      break;
    case kSigrunTimeWeek:
      part = iso_week(t.year, t.month, t.day);
      break;
    case kSigrunTimeMonth:
      part = t.month;
      break;
    case kSigrunTimeYear:
      part = t.year;
      break;
    default:
      return false;
  }
  return compare(part, operand->number, operand->flags);
}

// `cidr`: a string that parses as an IP address inside the network. An IPv4-mapped IPv6 address
// (::ffff:10.1.2.3, as Windows logs IPv4 peers) is also its IPv4 address.
bool sigrun_cidr_contains(const SigrunValue* value, const SigrunOperand* operand) {
  if (value->kind != kSigrunString || (operand->len != 4 && operand->len != 16))
    return false;
  const double prefix = operand->number;
  if (!(prefix >= 0 && prefix <= operand->len * 8.0))
    return false;
  sigrun::interp::IpAddress address;
  if (!sigrun::interp::parse_ip_address(std::string_view(value->text, value->text_len), address))
    return false;
  sigrun::interp::IpAddress network;
  network.size = static_cast<uint8_t>(operand->len);
  std::memcpy(network.bytes, operand->text, operand->len);
  if (address.size != network.size) {
    sigrun::interp::IpAddress v4;
    if (network.size != 4 || !sigrun::interp::ipv4_mapped(address, v4))
      return false;
    address = v4;
  }
  return sigrun::interp::ip_prefix_equal(address, network, static_cast<unsigned>(prefix));
}

// `fieldref`: the two fields' texts compared like strings (folded unless cased); JSON null never matches.
bool sigrun_field_eq(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand) {
  std::string_view text;
  std::string_view other_text;
  return pair_subjects(value, other, operand, text, other_text) && text == other_text;
}

bool sigrun_field_prefix(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand) {
  std::string_view text;
  std::string_view other_text;
  return pair_subjects(value, other, operand, text, other_text) && text.size() >= other_text.size() &&
         std::memcmp(text.data(), other_text.data(), other_text.size()) == 0;
}

bool sigrun_field_suffix(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand) {
  std::string_view text;
  std::string_view other_text;
  return pair_subjects(value, other, operand, text, other_text) && text.size() >= other_text.size() &&
         std::memcmp(text.data() + text.size() - other_text.size(), other_text.data(), other_text.size()) ==
             0;
}

bool sigrun_field_contains(const SigrunValue* value, const SigrunValue* other, const SigrunOperand* operand) {
  std::string_view text;
  std::string_view other_text;
  return pair_subjects(value, other, operand, text, other_text) &&
         text.find(other_text) != std::string_view::npos;
}

}  // extern "C"

namespace sigrun::abi {

const SigrunValueHelper kValueHelpers[kOpcodeCount] = {
#define SIGRUN_HELPER_ENTRY(name, helper, scope, doc) SIGRUN_HELPER_IF_##scope(helper)
#define SIGRUN_HELPER_IF_Slot(helper) nullptr,
#define SIGRUN_HELPER_IF_Value(helper) &helper,
#define SIGRUN_HELPER_IF_Pair(helper) nullptr,
    SIGRUN_OPCODES(SIGRUN_HELPER_ENTRY)
#undef SIGRUN_HELPER_IF_Pair
#undef SIGRUN_HELPER_IF_Value
#undef SIGRUN_HELPER_IF_Slot
#undef SIGRUN_HELPER_ENTRY
};

const SigrunPairHelper kPairHelpers[kOpcodeCount] = {
#define SIGRUN_HELPER_ENTRY(name, helper, scope, doc) SIGRUN_HELPER_IF_##scope(helper)
#define SIGRUN_HELPER_IF_Slot(helper) nullptr,
#define SIGRUN_HELPER_IF_Value(helper) nullptr,
#define SIGRUN_HELPER_IF_Pair(helper) &helper,
    SIGRUN_OPCODES(SIGRUN_HELPER_ENTRY)
#undef SIGRUN_HELPER_IF_Pair
#undef SIGRUN_HELPER_IF_Value
#undef SIGRUN_HELPER_IF_Slot
#undef SIGRUN_HELPER_ENTRY
};

}  // namespace sigrun::abi
