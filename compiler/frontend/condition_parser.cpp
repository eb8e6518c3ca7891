// Implements frontend::parse_condition (frontend/frontend.h): runs the PEGTL grammar of
// condition_grammar.h with actions that build the ast::ConditionNode tree, and turns the first error into
// a diagnostic at the offending token.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "frontend/condition_grammar.h"
#include "frontend/frontend.h"

namespace sigrun::frontend {

namespace {

namespace grammar = condition_grammar;
namespace pegtl = tao::pegtl;

using ast::ConditionNode;
using LocationOf = std::function<diag::SourceLocation(size_t offset)>;

// Parentheses and `not`s nest the tree; the limit keeps the parser's recursion (and every later walk of
// the tree) far from the end of the stack.
constexpr size_t kMaxConditionDepth = 256;

constexpr const char* kPipeMessage =
    "the pipe syntax of Sigma v1 (aggregations like count() and near) is not supported in conditions; use a "
    "correlation rule";

// What the parser expected where it failed; each expect_* rule of the grammar has one.
enum class Expectation {
  None,
  FirstOperand,
  OperandAfterOr,
  OperandAfterAnd,
  OperandAfterNot,
  OperandAfterOpen,
  Of,
  Target,
  Close,
  End,
  TooDeep,
};

template <typename Rule>
inline constexpr Expectation kExpectation = Expectation::None;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectFirstOperand> = Expectation::FirstOperand;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectOperandAfterOr> = Expectation::OperandAfterOr;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectOperandAfterAnd> = Expectation::OperandAfterAnd;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectOperandAfterNot> = Expectation::OperandAfterNot;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectOperandAfterOpen> = Expectation::OperandAfterOpen;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectOf> = Expectation::Of;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectTarget> = Expectation::Target;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectClose> = Expectation::Close;
template <>
inline constexpr Expectation kExpectation<grammar::ExpectEnd> = Expectation::End;

// Thrown through PEGTL to stop at the first error; caught in parse().
struct SyntaxError {
  Expectation expected;
  size_t offset;
};

struct ParseState {
  const char* base;
  const LocationOf& location_of;
  std::vector<ConditionNode> nodes;
  std::vector<size_t> node_marks;  // nodes.size() where each open and/or expression started
  std::vector<size_t> nots;        // offsets of the `not`s waiting for their operand
  std::vector<size_t> not_marks;   // nots.size() where each open NotExpr started
  std::vector<size_t> open_parens;
  ConditionNode::Kind quantifier_kind = ConditionNode::Kind::OneOf;
  size_t quantifier_offset = 0;

  size_t offset(const char* at) const { return static_cast<size_t>(at - base); }
  size_t depth() const { return open_parens.size() + nots.size(); }
};

template <typename Rule>
struct Control : pegtl::normal<Rule> {
  template <typename Input>
  [[noreturn]] static void raise(const Input& in, ParseState& state) {
    static_assert(kExpectation<Rule> != Expectation::None, "every must<> of the grammar needs a message");
    throw SyntaxError{kExpectation<Rule>, state.offset(in.current())};
  }
};

template <typename Rule>
struct Action : pegtl::nothing<Rule> {};

template <>
struct Action<grammar::Identifier> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    ConditionNode node;
    node.kind = ConditionNode::Kind::Identifier;
    node.text = in.string();
    node.location = state.location_of(state.offset(in.begin()));
    state.nodes.push_back(std::move(node));
  }
};

template <>
struct Action<grammar::Quantifier> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    state.quantifier_kind = in.string() == "all" ? ConditionNode::Kind::AllOf : ConditionNode::Kind::OneOf;
    state.quantifier_offset = state.offset(in.begin());
  }
};

template <>
struct Action<grammar::ExpectTarget> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    ConditionNode node;
    node.kind = state.quantifier_kind;
    node.text = in.string();
    node.location = state.location_of(state.quantifier_offset);
    state.nodes.push_back(std::move(node));
  }
};

template <>
struct Action<grammar::OpenParen> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    const size_t at = state.offset(in.begin());
    if (state.depth() >= kMaxConditionDepth) {
      throw SyntaxError{Expectation::TooDeep, at};
    }
    state.open_parens.push_back(at);
  }
};

template <>
struct Action<grammar::ExpectClose> {
  static void apply0(ParseState& state) { state.open_parens.pop_back(); }
};

template <>
struct Action<grammar::NotBegin> {
  static void apply0(ParseState& state) { state.not_marks.push_back(state.nots.size()); }
};

template <>
struct Action<grammar::KwNot> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    const size_t at = state.offset(in.begin());
    if (state.depth() >= kMaxConditionDepth) {
      throw SyntaxError{Expectation::TooDeep, at};
    }
    state.nots.push_back(at);
  }
};

template <>
struct Action<grammar::NotExpr> {
  static void apply0(ParseState& state) {
    const size_t mark = state.not_marks.back();
    state.not_marks.pop_back();
    // The last `not` is the innermost.
    for (size_t i = state.nots.size(); i > mark; --i) {
      ConditionNode node;
      node.kind = ConditionNode::Kind::Not;
      node.location = state.location_of(state.nots[i - 1]);
      node.children.push_back(std::move(state.nodes.back()));
      state.nodes.back() = std::move(node);
    }
    state.nots.resize(mark);
  }
};

template <>
struct Action<grammar::AndBegin> {
  static void apply0(ParseState& state) { state.node_marks.push_back(state.nodes.size()); }
};

template <>
struct Action<grammar::OrBegin> {
  static void apply0(ParseState& state) { state.node_marks.push_back(state.nodes.size()); }
};

// Folds the operands of one and/or expression into one n-ary node; a single operand stays as it is.
template <typename Input>
void fold(const Input& in, ParseState& state, ConditionNode::Kind kind) {
  const size_t mark = state.node_marks.back();
  state.node_marks.pop_back();
  if (state.nodes.size() - mark < 2) {
    return;
  }
  ConditionNode node;
  node.kind = kind;
  node.location = state.location_of(state.offset(in.begin()));
  node.children.assign(std::make_move_iterator(state.nodes.begin() + static_cast<std::ptrdiff_t>(mark)),
                       std::make_move_iterator(state.nodes.end()));
  state.nodes.resize(mark);
  state.nodes.push_back(std::move(node));
}

template <>
struct Action<grammar::AndExpr> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    fold(in, state, ConditionNode::Kind::And);
  }
};

template <>
struct Action<grammar::OrExpr> {
  template <typename Input>
  static void apply(const Input& in, ParseState& state) {
    fold(in, state, ConditionNode::Kind::Or);
  }
};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

bool is_pattern_char(char c) {
  return is_word_char(c) || c == '*';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// An operator written in upper or mixed case (AND, Not): a common slip worth naming in the message.
bool is_miscased_operator(std::string_view word) {
  const std::string lowered = lower(word);
  return lowered != word && (lowered == "and" || lowered == "or" || lowered == "not");
}

// The token at `offset`, as the "found ..." part of a message shows it.
std::string token_at(std::string_view text, size_t offset) {
  if (offset >= text.size()) {
    return "end of condition";
  }
  const char c = text[offset];
  if (is_pattern_char(c)) {
    size_t end = offset;
    while (end < text.size() && is_pattern_char(text[end])) {
      ++end;
    }
    return "'" + std::string(text.substr(offset, end - offset)) + "'";
  }
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7F) {
    constexpr const char* kHex = "0123456789abcdef";
    return std::string("'\\x") + kHex[byte >> 4] + kHex[byte & 0xF] + "'";
  }
  size_t length = 1;
  if (byte >= 0xC0) {
    while (offset + length < text.size() &&
           (static_cast<unsigned char>(text[offset + length]) & 0xC0) == 0x80) {
      ++length;
    }
  }
  return "'" + std::string(text.substr(offset, length)) + "'";
}

// The word just before `offset` (skipping whitespace), or "" when the previous token is not a word.
std::string_view word_before(std::string_view text, size_t offset) {
  size_t end = std::min(offset, text.size());
  while (end > 0 && is_space(text[end - 1])) {
    --end;
  }
  size_t start = end;
  while (start > 0 && is_pattern_char(text[start - 1])) {
    --start;
  }
  return text.substr(start, end - start);
}

std::string message_for(const SyntaxError& error, std::string_view text, const ParseState& state) {
  const std::string found = token_at(text, error.offset);
  const bool at_end = error.offset >= text.size();
  if (!at_end && text[error.offset] == '*' && error.expected != Expectation::Target) {
    return "unexpected '*': wildcards are only allowed in the pattern of '1 of', 'any of' or 'all of'";
  }
  std::string message;
  switch (error.expected) {
    case Expectation::FirstOperand:
      message = "expected identifier, '(' or 'not', found " + found;
      break;
    case Expectation::OperandAfterOr:
      message = "expected identifier, '(' or 'not' after 'or', found " + found;
      break;
    case Expectation::OperandAfterAnd:
      message = "expected identifier, '(' or 'not' after 'and', found " + found;
      break;
    case Expectation::OperandAfterNot:
      message = "expected identifier, '(' or 'not' after 'not', found " + found;
      break;
    case Expectation::OperandAfterOpen:
      message = "expected identifier, '(' or 'not' after '(', found " + found;
      break;
    case Expectation::Of:
      message = "expected 'of' after '" + std::string(word_before(text, error.offset)) + "', found " + found;
      break;
    case Expectation::Target:
      message = "expected a pattern or 'them' after 'of', found " + found;
      break;
    case Expectation::Close:
      if (at_end && !state.open_parens.empty()) {
        const diag::SourceLocation open = state.location_of(state.open_parens.back());
        const diag::SourceLocation end = state.location_of(error.offset);
        message = "unbalanced parenthesis: expected ')' to close the '(' at ";
        if (open.line != end.line) {
          message += "line " + std::to_string(open.line) + ", ";
        }
        message += "column " + std::to_string(open.column);
        break;
      }
      message = "expected 'and', 'or' or ')', found " + found;
      break;
    case Expectation::End:
      if (!at_end && text[error.offset] == ')') {
        return "unexpected ')'";
      }
      message = "expected 'and', 'or' or end of condition, found " + found;
      break;
    case Expectation::TooDeep:
      return "the condition nests deeper than " + std::to_string(kMaxConditionDepth) +
             " levels of parentheses and 'not'";
    case Expectation::None:
      message = "unexpected " + found;
      break;
  }
  if (!at_end && is_pattern_char(text[error.offset])) {
    size_t end = error.offset;
    while (end < text.size() && is_pattern_char(text[end])) {
      ++end;
    }
    if (is_miscased_operator(text.substr(error.offset, end - error.offset))) {
      message += " (operators are lower-case)";
    }
  }
  const std::string_view previous = word_before(text, error.offset);
  if (error.expected != Expectation::Of && is_miscased_operator(previous)) {
    message += " ('" + std::string(previous) + "' is read as an identifier: operators are lower-case)";
  }
  return message;
}

// Problems found before parsing: Sigma v1 pipes and `near`, and parentheses nested beyond the limit
// (checked first so that PEGTL never recurses that deep). Reports the first one.
bool prescan(std::string_view text, const LocationOf& location_of, diag::DiagnosticEngine& diags) {
  size_t depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '|') {
      diags.error("condition-pipe", location_of(i), kPipeMessage);
      return false;
    }
    if (c == 'n' && text.compare(i, 4, "near") == 0 && (i == 0 || !is_pattern_char(text[i - 1])) &&
        (i + 4 == text.size() || !is_pattern_char(text[i + 4]))) {
      diags.error("condition-pipe", location_of(i), kPipeMessage);
      return false;
    }
    if (c == '(' && ++depth > kMaxConditionDepth) {
      diags.error("condition-too-deep", location_of(i),
                  "the condition nests deeper than " + std::to_string(kMaxConditionDepth) +
                      " levels of parentheses and 'not'");
      return false;
    }
    if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return true;
}

std::optional<ConditionNode> parse(std::string_view text, const LocationOf& location_of,
                                   diag::DiagnosticEngine& diags) {
  if (!prescan(text, location_of, diags)) {
    return std::nullopt;
  }
  ParseState state{text.data(), location_of, {}, {}, {}, {}, {}};
  try {
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), "condition");
    pegtl::parse<grammar::Condition, Action, Control>(in, state);
  } catch (const SyntaxError& error) {
    const char* code = error.expected == Expectation::TooDeep ? "condition-too-deep" : "condition-syntax";
    diags.error(code, location_of(error.offset), message_for(error, text, state));
    return std::nullopt;
  } catch (const std::exception& e) {
    diags.error("condition-syntax", location_of(0), std::string("cannot parse the condition: ") + e.what());
    return std::nullopt;
  }
  if (state.nodes.size() != 1) {
    diags.error("condition-syntax", location_of(0), "cannot parse the condition");
    return std::nullopt;
  }
  return std::move(state.nodes.front());
}

}  // namespace

std::optional<ast::ConditionNode> parse_condition(std::string_view text, diag::SourceLocation origin,
                                                  diag::DiagnosticEngine& diags) {
  // Offsets of the line starts after the first, to place tokens of a condition that spans lines.
  std::vector<size_t> line_starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      line_starts.push_back(i + 1);
    }
  }
  const LocationOf location_of = [&](size_t offset) {
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
    diag::SourceLocation at = origin;
    if (it == line_starts.begin()) {
      at.column += static_cast<uint32_t>(offset);
      return at;
    }
    at.line += static_cast<uint32_t>(it - line_starts.begin());
    at.column = static_cast<uint32_t>(offset - *(it - 1)) + 1;
    return at;
  };
  return parse(text, location_of, diags);
}

std::optional<ast::ConditionNode> parse_condition(const ast::YamlValue& scalar,
                                                  diag::DiagnosticEngine& diags) {
  const LocationOf location_of = [&](size_t offset) { return scalar.text_location(offset); };
  return parse(scalar.text, location_of, diags);
}

}  // namespace sigrun::frontend
