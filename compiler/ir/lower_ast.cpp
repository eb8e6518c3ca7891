// Implements lower_ast.h: lower_rule and parse_sigma_string.
#include "ir/lower_ast.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "abi/program.h"
#include "interp/regex.h"
#include "program/program.h"

namespace sigrun::ir {
namespace {

constexpr char kStar = static_cast<char>(kSigrunGlobStar);
constexpr char kQuestion = static_cast<char>(kSigrunGlobQuestion);

// The modifiers of one field item, parsed and checked against each other.
struct Modifiers {
  enum class Position { Whole, Contains, StartsWith, EndsWith };
  Position position = Position::Whole;
  bool all = false;
  bool exists = false;
  bool regex = false;
  bool cased = false;
  uint32_t regex_flags = 0;
};

// Modifiers of Sigma v2.1 and pySigma that this stage does not lower yet: reported as unsupported rather
// than unknown, so authors know the rule is valid Sigma.
const std::set<std::string> kNotYetSupported = {
    "windash", "base64", "base64offset", "wide", "utf16le", "utf16be",  "utf16",
    "cidr",    "gt",     "gte",          "lt",   "lte",     "minute",   "hour",
    "day",     "week",   "month",        "year", "expand",  "fieldref", "neq"};

// The runtime's spelling of the regex flags, to validate a regex exactly as the engine will build it.
uint32_t runtime_regex_options(uint32_t flags) {
  return (flags & kRegexIgnoreCase ? uint32_t{program::kRegexIgnoreCase} : 0u) |
         (flags & kRegexMultiLine ? uint32_t{program::kRegexMultiLine} : 0u) |
         (flags & kRegexDotAll ? uint32_t{program::kRegexDotAll} : 0u);
}

// A predicate on the field alone (Exists, IsNull).
Predicate field_predicate(FieldId field, PredicateOp op) {
  Predicate p;
  p.field = field;
  p.op = op;
  return p;
}

const char* value_kind_name(ast::Value::Kind kind) {
  switch (kind) {
    case ast::Value::Kind::String:
      return "string";
    case ast::Value::Kind::Integer:
      return "integer";
    case ast::Value::Kind::Float:
      return "float";
    case ast::Value::Kind::Boolean:
      return "boolean";
    case ast::Value::Kind::Null:
      return "null";
  }
  return "value";
}

class RuleLowering {
 public:
  RuleLowering(const ast::Rule& rule, Module& module, diag::DiagnosticEngine& diags,
               const RuleContext& context)
      : rule_(rule), ctx_(module.context), diags_(diags), context_(context) {}

  std::optional<NodeId> lower() {
    const size_t errors_before = diags_.error_count();
    for (const ast::SearchIdentifier& identifier : rule_.detection) {
      identifiers_.push_back({identifier.name, lower_identifier(identifier)});
    }
    std::vector<NodeId> conditions;
    for (const ast::Condition& condition : rule_.conditions) {
      if (auto node = lower_condition(condition.root))
        conditions.push_back(*node);
    }
    if (rule_.conditions.empty()) {
      diags_.error("rule-missing-attribute", rule_.location, "detection has no condition");
    }
    std::vector<NodeId> logsource;
    for (const ast::Selection& selection : context_.logsource_conditions) {
      if (auto node = lower_selection(selection)) {
        logsource.push_back(*node);
      }
    }
    if (diags_.error_count() != errors_before) {
      return std::nullopt;
    }
    const NodeId condition = ctx_.make_or(std::move(conditions));
    if (context_.logsource_conditions.empty()) {
      return condition;
    }
    // The log source first: it is cheap, and the same node for every rule of the source.
    return ctx_.make_and({ctx_.make_or(std::move(logsource)), condition});
  }

 private:
  struct Identifier {
    std::string name;
    std::optional<NodeId> node;
  };

  std::optional<NodeId> lower_identifier(const ast::SearchIdentifier& identifier) {
    std::vector<NodeId> alternatives;
    bool ok = true;
    if (!identifier.keywords.empty()) {
      // A keyword list is an item without a field: its values are ORed.
      ast::FieldItem keywords;
      keywords.values = identifier.keywords;
      keywords.value_is_list = true;
      keywords.location = identifier.location;
      if (auto node = lower_item(keywords)) {
        alternatives.push_back(*node);
      } else {
        ok = false;
      }
    }
    for (const ast::Selection& selection : identifier.selections) {
      if (auto node = lower_selection(selection)) {
        alternatives.push_back(*node);
      } else {
        ok = false;
      }
    }
    if (!ok) {
      return std::nullopt;
    }
    return ctx_.make_or(std::move(alternatives));
  }

  // A map: the AND of its items.
  std::optional<NodeId> lower_selection(const ast::Selection& selection) {
    std::vector<NodeId> items;
    bool ok = true;
    for (const ast::FieldItem& item : selection.items) {
      if (auto node = lower_item(item)) {
        items.push_back(*node);
      } else {
        ok = false;
      }
    }
    if (!ok) {
      return std::nullopt;
    }
    return ctx_.make_and(std::move(items));
  }

  // The event's name of a rule field: the log source's rename, else the name as written.
  std::string event_field(const std::string& field) const {
    auto it = context_.field_renames.find(field);
    return it == context_.field_renames.end() ? field : it->second;
  }

  std::optional<Modifiers> parse_modifiers(const ast::FieldItem& item) {
    Modifiers mods;
    bool ok = true;
    for (size_t i = 0; i < item.modifiers.size(); ++i) {
      const ast::Modifier& m = item.modifiers[i];
      const std::string& name = m.name;
      if (name == "contains" || name == "startswith" || name == "endswith") {
        // pySigma: startswith after endswith (or the reverse) leaves a value wildcarded on both sides.
        Modifiers::Position p = name == "contains"     ? Modifiers::Position::Contains
                                : name == "startswith" ? Modifiers::Position::StartsWith
                                                       : Modifiers::Position::EndsWith;
        if (mods.position != Modifiers::Position::Whole && mods.position != p)
          p = Modifiers::Position::Contains;
        mods.position = p;
      } else if (name == "all") {
        mods.all = true;
      } else if (name == "cased") {
        mods.cased = true;
      } else if (name == "exists") {
        if (i != 0 || item.modifiers.size() != 1) {
          diags_.error("modifier-combination", m.location, "'exists' must be the only modifier of a field");
          ok = false;
        }
        mods.exists = true;
      } else if (name == "re") {
        if (i != 0) {
          diags_.error("modifier-combination", m.location, "'re' must be the first modifier");
          ok = false;
        }
        mods.regex = true;
      } else if (name == "i" || name == "ignorecase" || name == "m" || name == "multiline" || name == "s" ||
                 name == "dotall") {
        if (!mods.regex) {
          diags_.error("modifier-combination", m.location,
                       "regex flag '" + name + "' needs a preceding 're'");
          ok = false;
        }
        mods.regex_flags |= (name == "i" || name == "ignorecase")  ? kRegexIgnoreCase
                            : (name == "m" || name == "multiline") ? kRegexMultiLine
                                                                   : kRegexDotAll;
      } else if (kNotYetSupported.count(name) != 0) {
        diags_.error("modifier-unsupported", m.location, "modifier '" + name + "' is not supported yet");
        ok = false;
      } else {
        diags_.error("modifier-unknown", m.location,
                     "unknown modifier '" + name +
                         "'; expected a Sigma modifier such as contains, startswith, "
                         "endswith, all, re, cased or exists");
        ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return mods;
  }

  std::optional<NodeId> lower_item(const ast::FieldItem& item) {
    auto mods = parse_modifiers(item);
    if (!mods)
      return std::nullopt;
    if (item.field.empty())
      return lower_keyword_item(item, *mods);
    const FieldId field = ctx_.intern_field(event_field(item.field));
    if (mods->exists)
      return lower_exists(item, field);
    if (item.values.empty()) {
      // pySigma reads an empty value list as "the field is null".
      return ctx_.make_predicate_node(ctx_.intern_predicate(field_predicate(field, PredicateOp::IsNull)));
    }
    std::vector<NodeId> values;
    bool ok = true;
    for (const ast::Value& value : item.values) {
      if (auto node = lower_value(value, field, *mods)) {
        values.push_back(*node);
      } else {
        ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return mods->all ? ctx_.make_and(std::move(values)) : ctx_.make_or(std::move(values));
  }

  // Keywords (values without a field) search every scalar value of the event: a keyword matches when it
  // occurs in some value, case-insensitively, its wildcards honoured (an implicit `*` on both sides).
  std::optional<NodeId> lower_keyword_item(const ast::FieldItem& item, Modifiers mods) {
    if (mods.exists || mods.regex) {
      diags_.error("modifier-combination", item.location,
                   std::string("'") + (mods.exists ? "exists" : "re") + "' needs a field name");
      return std::nullopt;
    }
    mods.position = Modifiers::Position::Contains;
    const FieldId field = ctx_.intern_field(Context::kAllValuesField);
    std::vector<NodeId> values;
    bool ok = true;
    for (const ast::Value& value : item.values) {
      if (value.kind == ast::Value::Kind::Null) {
        diags_.error("modifier-value-type", value.location, "a keyword cannot be null");
        ok = false;
        continue;
      }
      // Numbers and booleans are searched as the text they were written as.
      ast::Value text = value;
      text.kind = ast::Value::Kind::String;
      if (auto node = lower_value(text, field, mods)) {
        values.push_back(*node);
      } else {
        ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return mods.all ? ctx_.make_and(std::move(values)) : ctx_.make_or(std::move(values));
  }

  std::optional<NodeId> lower_exists(const ast::FieldItem& item, FieldId field) {
    if (item.values.size() != 1 || item.values[0].kind != ast::Value::Kind::Boolean) {
      diags_.error("modifier-value-type", item.location,
                   "'exists' needs a single boolean value (true or false)");
      return std::nullopt;
    }
    const NodeId exists =
        ctx_.make_predicate_node(ctx_.intern_predicate(field_predicate(field, PredicateOp::Exists)));
    return item.values[0].text == "true" ? exists : ctx_.make_not(exists);
  }

  std::optional<NodeId> lower_value(const ast::Value& value, FieldId field, const Modifiers& mods) {
    const bool string_modifiers = mods.regex || mods.cased || mods.position != Modifiers::Position::Whole;
    if (value.kind != ast::Value::Kind::String && string_modifiers) {
      diags_.error("modifier-value-type", value.location,
                   std::string("string modifiers need a string value, found ") + value_kind_name(value.kind));
      return std::nullopt;
    }
    Predicate p;
    p.field = field;
    switch (value.kind) {
      case ast::Value::Kind::Null:
        p.op = PredicateOp::IsNull;
        break;
      case ast::Value::Kind::Boolean:
        p.op = PredicateOp::BoolEq;
        p.boolean = value.text == "true";
        break;
      case ast::Value::Kind::Integer:
      case ast::Value::Kind::Float:
        p.op = PredicateOp::NumEq;
        p.text = value.text;
        p.number = std::strtod(value.text.c_str(), nullptr);
        p.number_is_integer = value.kind == ast::Value::Kind::Integer;
        break;
      case ast::Value::Kind::String:
        if (mods.regex) {
          p.op = PredicateOp::Regex;
          p.text = value.text;  // regexes bypass Sigma escaping
          p.regex_flags = mods.regex_flags;
          if (std::string reason = interp::regex_error(p.text, runtime_regex_options(p.regex_flags));
              !reason.empty()) {
            diags_.error("regex-invalid", value.location, "invalid regular expression: " + reason);
            return std::nullopt;
          }
          break;
        }
        lower_string(value.text, mods, p);
        break;
    }
    return ctx_.make_predicate_node(ctx_.intern_predicate(std::move(p)));
  }

  // Modifiers work on the parsed value (wildcard tokens), never on raw text: `'\Temp\'|contains` is the
  // literal `\Temp\` with a star token on each side, not an escaped star.
  static void lower_string(const std::string& raw, const Modifiers& mods, Predicate& p) {
    std::string pattern = parse_sigma_string(raw);
    const bool lead =
        mods.position == Modifiers::Position::Contains || mods.position == Modifiers::Position::EndsWith;
    const bool trail =
        mods.position == Modifiers::Position::Contains || mods.position == Modifiers::Position::StartsWith;
    if (lead && (pattern.empty() || pattern.front() != kStar))
      pattern.insert(pattern.begin(), kStar);
    if (trail && (pattern.empty() || pattern.back() != kStar))
      pattern.push_back(kStar);
    p.cased = mods.cased;

    size_t begin = 0;
    size_t end = pattern.size();
    while (begin < end && pattern[begin] == kStar)
      ++begin;
    while (end > begin && pattern[end - 1] == kStar)
      --end;
    const std::string middle = pattern.substr(begin, end - begin);
    const bool starts_with_star = begin > 0;
    const bool ends_with_star = end < pattern.size();
    if (middle.find(kStar) != std::string::npos || middle.find(kQuestion) != std::string::npos) {
      p.op = PredicateOp::StrGlob;
      p.text = pattern;
      return;
    }
    p.text = middle;
    if (starts_with_star && ends_with_star) {
      p.op = PredicateOp::StrContains;
    } else if (starts_with_star) {
      p.op = PredicateOp::StrSuffix;
    } else if (ends_with_star) {
      p.op = PredicateOp::StrPrefix;
    } else {
      p.op = PredicateOp::StrEq;
    }
  }

  std::optional<NodeId> lower_condition(const ast::ConditionNode& node) {
    switch (node.kind) {
      case ast::ConditionNode::Kind::And:
      case ast::ConditionNode::Kind::Or: {
        std::vector<NodeId> children;
        bool ok = true;
        for (const ast::ConditionNode& child : node.children) {
          if (auto c = lower_condition(child)) {
            children.push_back(*c);
          } else {
            ok = false;
          }
        }
        if (!ok)
          return std::nullopt;
        return node.kind == ast::ConditionNode::Kind::And ? ctx_.make_and(std::move(children))
                                                          : ctx_.make_or(std::move(children));
      }
      case ast::ConditionNode::Kind::Not: {
        auto child = lower_condition(node.children.at(0));
        if (!child)
          return std::nullopt;
        return ctx_.make_not(*child);
      }
      case ast::ConditionNode::Kind::Identifier:
        for (const Identifier& identifier : identifiers_) {
          if (identifier.name == node.text)
            return identifier.node;
        }
        diags_.error("condition-undefined-identifier", node.location,
                     "undefined search identifier '" + node.text + "'");
        return std::nullopt;
      case ast::ConditionNode::Kind::OneOf:
      case ast::ConditionNode::Kind::AllOf:
        return lower_quantifier(node);
    }
    return std::nullopt;
  }

  // `1 of P` / `all of P`: P is matched against whole identifier names with `*` for any characters;
  // identifiers starting with `_` are left out unless P starts with `_` (`them` never includes them).
  std::optional<NodeId> lower_quantifier(const ast::ConditionNode& node) {
    const bool them = node.text == "them";
    const bool include_underscore = !them && !node.text.empty() && node.text[0] == '_';
    std::vector<NodeId> matched;
    bool ok = true;
    bool any = false;
    for (const Identifier& identifier : identifiers_) {
      if (!include_underscore && !identifier.name.empty() && identifier.name[0] == '_')
        continue;
      if (!them && !pattern_matches(node.text, identifier.name))
        continue;
      any = true;
      if (identifier.node) {
        matched.push_back(*identifier.node);
      } else {
        ok = false;
      }
    }
    if (!any) {
      diags_.error("condition-pattern-unmatched", node.location,
                   them ? std::string("'them' refers to no search identifier")
                        : "pattern '" + node.text + "' matches no search identifier of this rule");
      return std::nullopt;
    }
    if (!ok)
      return std::nullopt;
    return node.kind == ast::ConditionNode::Kind::AllOf ? ctx_.make_and(std::move(matched))
                                                        : ctx_.make_or(std::move(matched));
  }

  static bool pattern_matches(const std::string& pattern, const std::string& name) {
    size_t p = 0;
    size_t n = 0;
    size_t star = std::string::npos;
    size_t mark = 0;
    while (n < name.size()) {
      if (p < pattern.size() && pattern[p] == '*') {
        star = p++;
        mark = n;
      } else if (p < pattern.size() && pattern[p] == name[n]) {
        ++p;
        ++n;
      } else if (star != std::string::npos) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.size() && pattern[p] == '*')
      ++p;
    return p == pattern.size();
  }

  const ast::Rule& rule_;
  Context& ctx_;
  diag::DiagnosticEngine& diags_;
  const RuleContext& context_;
  std::vector<Identifier> identifiers_;
};

}  // namespace

std::string parse_sigma_string(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\\') {
      if (i + 1 < raw.size() && (raw[i + 1] == '*' || raw[i + 1] == '?' || raw[i + 1] == '\\')) {
        out += raw[++i];
        continue;
      }
      // A backslash before anything else (or at the end) is itself: C:\Windows needs no escaping.
      out += c;
      continue;
    }
    if (c == '*') {
      out += kStar;
    } else if (c == '?') {
      out += kQuestion;
    } else {
      out += c;
    }
  }
  return out;
}

bool lower_rule(const ast::Rule& rule, Module& module, diag::DiagnosticEngine& diags,
                const RuleContext& context) {
  RuleLowering lowering(rule, module, diags, context);
  auto root = lowering.lower();
  if (!root)
    return false;
  Rule lowered;
  lowered.id = rule.id;
  lowered.title = rule.title;
  lowered.level = rule.level;
  lowered.status = rule.status;
  lowered.author = rule.author;
  lowered.description = rule.description;
  lowered.tags = rule.tags;
  lowered.logsource = {rule.logsource.product, rule.logsource.category, rule.logsource.service};
  lowered.message = rule.message;
  lowered.source_file = rule.source_file;
  lowered.source_line = rule.location.line;
  lowered.root = *root;
  module.rules.push_back(std::move(lowered));
  return true;
}

}  // namespace sigrun::ir
