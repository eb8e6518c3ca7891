// Implements lower_ast.h: lower_rule and parse_sigma_string.
#include "ir/lower_ast.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "abi/program.h"
#include "interp/ip_address.h"
#include "interp/regex.h"
#include "ir/value_modifiers.h"
#include "program/program.h"

namespace sigrun::ir {
namespace {

constexpr char kStar = static_cast<char>(kSigrunGlobStar);
constexpr char kQuestion = static_cast<char>(kSigrunGlobQuestion);

// Most alternatives one value may expand into (windash positions, placeholder values, base64offset):
// each is a predicate, so an unbounded product would exhaust memory at compile time.
constexpr size_t kMaxAlternatives = 16384;

// Every modifier of Sigma v2.1 and pySigma. `utf16le` (spec) is `wide` (pySigma); the long regex flag
// names are the short ones.
enum class Mod {
  Contains,
  StartsWith,
  EndsWith,
  All,
  Neq,
  Cased,
  Exists,
  Re,
  ReIgnoreCase,
  ReMultiLine,
  ReDotAll,
  Base64,
  Base64Offset,
  Wide,
  Utf16Be,
  Utf16,
  Windash,
  Cidr,
  Gt,
  Gte,
  Lt,
  Lte,
  Minute,
  Hour,
  Day,
  Week,
  Month,
  Year,
  Expand,
  FieldRef,
};

struct ModifierName {
  const char* name;
  Mod mod;
};

constexpr ModifierName kModifierNames[] = {
    {"contains", Mod::Contains},
    {"startswith", Mod::StartsWith},
    {"endswith", Mod::EndsWith},
    {"all", Mod::All},
    {"neq", Mod::Neq},
    {"cased", Mod::Cased},
    {"exists", Mod::Exists},
    {"re", Mod::Re},
    {"i", Mod::ReIgnoreCase},
    {"ignorecase", Mod::ReIgnoreCase},
    {"m", Mod::ReMultiLine},
    {"multiline", Mod::ReMultiLine},
    {"s", Mod::ReDotAll},
    {"dotall", Mod::ReDotAll},
    {"base64", Mod::Base64},
    {"base64offset", Mod::Base64Offset},
    {"wide", Mod::Wide},
    {"utf16le", Mod::Wide},
    {"utf16be", Mod::Utf16Be},
    {"utf16", Mod::Utf16},
    {"windash", Mod::Windash},
    {"cidr", Mod::Cidr},
    {"gt", Mod::Gt},
    {"gte", Mod::Gte},
    {"lt", Mod::Lt},
    {"lte", Mod::Lte},
    {"minute", Mod::Minute},
    {"hour", Mod::Hour},
    {"day", Mod::Day},
    {"week", Mod::Week},
    {"month", Mod::Month},
    {"year", Mod::Year},
    {"expand", Mod::Expand},
    {"fieldref", Mod::FieldRef},
};

std::optional<Mod> find_modifier(const std::string& name) {
  for (const ModifierName& entry : kModifierNames) {
    if (name == entry.name)
      return entry.mod;
  }
  return std::nullopt;
}

bool is_time_part(Mod mod) {
  return mod == Mod::Minute || mod == Mod::Hour || mod == Mod::Day || mod == Mod::Week || mod == Mod::Month ||
         mod == Mod::Year;
}

bool is_comparison(Mod mod) {
  return mod == Mod::Gt || mod == Mod::Gte || mod == Mod::Lt || mod == Mod::Lte;
}

// Modifiers that only make sense on a field (a keyword item has none).
bool needs_field(Mod mod) {
  return mod == Mod::Exists || mod == Mod::Re || mod == Mod::Cidr || mod == Mod::FieldRef ||
         is_comparison(mod) || is_time_part(mod);
}

// The modifier chain of one item: the value modifiers in chain order (each with the name it was written
// with) and the list modifiers, which act on the whole item wherever they stand.
struct Chain {
  struct Step {
    Mod mod;
    std::string name;
  };
  std::vector<Step> steps;  // every modifier except `all` and `neq`, in order
  bool all = false;
  bool neq = false;
  bool cased = false;
  bool exists = false;
  uint32_t regex_flags = 0;
  diag::SourceLocation location;  // the key holding the chain
};

// What a value is while its modifiers apply (pySigma's value types).
enum class Kind { String, Regex, FieldRef, Number, TimePart, Compare, Cidr, Boolean, Null };

const char* kind_description(Kind kind) {
  switch (kind) {
    case Kind::String:
      return "a string";
    case Kind::Regex:
      return "a regular expression";
    case Kind::FieldRef:
      return "a field reference";
    case Kind::Number:
      return "a number";
    case Kind::TimePart:
      return "a timestamp part";
    case Kind::Compare:
      return "a numeric comparison";
    case Kind::Cidr:
      return "a network";
    case Kind::Boolean:
      return "a boolean";
    case Kind::Null:
      return "null";
  }
  return "a value";
}

// One value of an item on its way through the chain. String, Regex and FieldRef values hold alternatives
// (ORed: windash, base64offset and expand make several); the other kinds one value.
struct TypedValue {
  Kind kind = Kind::String;
  std::vector<Symbols> strings;      // String
  std::vector<std::string> regexes;  // Regex
  std::vector<std::string> fields;   // FieldRef: the referenced field names
  bool ref_prefix = false;           // FieldRef after startswith/contains: the other field is a prefix
  bool ref_suffix = false;           // FieldRef after endswith/contains: the other field is a suffix
  std::string number_text;           // Number, TimePart, Compare
  double number = 0;
  bool integer = false;
  TimeComponent time_part = TimeComponent::Minute;
  bool has_time_part = false;
  Comparison comparison = Comparison::Eq;
  std::string network;  // Cidr
  bool boolean = false;
  std::string produced_by;  // the modifier that gave the value its kind; empty: the value as written
};

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

// `contains`/`startswith`/`endswith` on a string: a star token before and/or after, unless one is there.
void add_wildcards(Symbols& symbols, bool lead, bool trail) {
  if (lead && (symbols.empty() || symbols.front() != kSymbolStar))
    symbols.insert(symbols.begin(), kSymbolStar);
  if (trail && (symbols.empty() || symbols.back() != kSymbolStar))
    symbols.push_back(kSymbolStar);
}

class RuleLowering {
 public:
  RuleLowering(const ast::Rule& rule, Module& module, diag::DiagnosticEngine& diags,
               const RuleContext& context)
      : rule_(rule), ctx_(module.context), diags_(diags), context_(context) {}

  std::optional<NodeId> lower() {
    const size_t errors_before = diags_.error_count();
    for (const ast::SearchIdentifier& identifier : rule_.detection) {
      identifiers_.push_back({identifier.name, lower_identifier(identifier), identifier.location});
    }
    std::vector<NodeId> conditions;
    const size_t errors_before_conditions = diags_.error_count();
    for (const ast::Condition& condition : rule_.conditions) {
      if (auto node = lower_condition(condition.root))
        conditions.push_back(*node);
    }
    if (!rule_.conditions.empty() && diags_.error_count() == errors_before_conditions) {
      for (const Identifier& identifier : identifiers_) {
        if (!identifier.used)
          diags_.warning("identifier-unused", identifier.location,
                         "search identifier '" + identifier.name + "' is not used by the condition");
      }
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
    diag::SourceLocation location;  // of the key
    bool used = false;              // referenced by a condition, by name or by a pattern
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

  // Reads an item's modifier chain: unknown names, modifiers in the wrong place and modifiers a keyword
  // cannot take are errors at the key; pySigma's validator findings are warnings.
  std::optional<Chain> parse_chain(const ast::FieldItem& item) {
    Chain chain;
    chain.location = item.modifiers.empty() ? item.location : item.modifiers.front().location;
    bool ok = true;
    std::map<Mod, size_t> count;
    for (size_t i = 0; i < item.modifiers.size(); ++i) {
      const ast::Modifier& m = item.modifiers[i];
      const std::optional<Mod> mod = find_modifier(m.name);
      if (!mod) {
        diags_.error("modifier-unknown", m.location,
                     "unknown modifier '" + m.name +
                         "'; expected a Sigma modifier such as contains, startswith, endswith, all, re, "
                         "cased, windash, base64offset, cidr or exists");
        ok = false;
        continue;
      }
      // pySigma's validator allows base64 twice (double encoding); any other repetition is a slip.
      if (++count[*mod] == 2 && *mod != Mod::Base64) {
        diags_.warning("modifier-duplicate", m.location,
                       "modifier '" + m.name + "' is applied more than once");
      }
      if (item.field.empty() && needs_field(*mod)) {
        diags_.error("modifier-combination", item.location, "'" + m.name + "' needs a field name");
        ok = false;
        continue;
      }
      switch (*mod) {
        case Mod::All:
          chain.all = true;
          break;
        case Mod::Neq:
          chain.neq = true;
          break;
        case Mod::Exists:
          if (item.modifiers.size() != 1) {
            diags_.error("modifier-combination", m.location, "'exists' must be the only modifier of a field");
            ok = false;
          }
          chain.exists = true;
          break;
        case Mod::Re:
        case Mod::Cidr:
          if (i != 0) {
            diags_.error("modifier-combination", m.location, "'" + m.name + "' must be the first modifier");
            ok = false;
          }
          chain.steps.push_back({*mod, m.name});
          break;
        case Mod::ReIgnoreCase:
        case Mod::ReMultiLine:
        case Mod::ReDotAll:
          if (item.modifiers.front().name != "re") {
            diags_.error("modifier-combination", m.location,
                         "regex flag '" + m.name + "' needs a preceding 're'");
            ok = false;
          }
          chain.regex_flags |= *mod == Mod::ReIgnoreCase  ? kRegexIgnoreCase
                               : *mod == Mod::ReMultiLine ? kRegexMultiLine
                                                          : kRegexDotAll;
          chain.steps.push_back({*mod, m.name});
          break;
        case Mod::Cased:
          chain.cased = true;
          chain.steps.push_back({*mod, m.name});
          break;
        default:
          chain.steps.push_back({*mod, m.name});
          break;
      }
    }
    if (!ok)
      return std::nullopt;
    const bool contains = count.count(Mod::Contains) != 0;
    if (chain.all && !item.field.empty() && !contains) {
      diags_.warning("modifier-all-without-contains", chain.location,
                     "'all' without 'contains' on a field: every value must equal the whole field, which "
                     "matches nothing unless the values are equal");
    }
    if (chain.all && item.values.size() == 1) {
      diags_.warning("modifier-all-single-value", chain.location, "'all' with a single value has no effect");
    }
    if (count.count(Mod::Base64Offset) != 0 && !contains) {
      diags_.warning("modifier-base64offset-without-contains", chain.location,
                     "'base64offset' without 'contains': its values are fragments of an encoding and only "
                     "match inside a longer text");
    }
    if (count.count(Mod::Windash) != 0 && chain.all) {
      diags_.warning(
          "modifier-windash-with-all", chain.location,
          "'windash' with 'all': each value's dash variants stay alternatives (ORed) and the values "
          "are ANDed; pySigma's validator rejects this combination");
    }
    return chain;
  }

  std::optional<NodeId> lower_item(const ast::FieldItem& item) {
    std::optional<Chain> chain = parse_chain(item);
    if (!chain)
      return std::nullopt;
    const bool keyword = item.field.empty();
    const FieldId field = ctx_.intern_field(keyword ? Context::kAllValuesField : event_field(item.field));
    std::optional<NodeId> node;
    if (chain->exists) {
      node = lower_exists(item, field);
    } else if (!keyword && item.values.empty()) {
      // pySigma reads an empty value list as "the field is null".
      node = ctx_.make_predicate_node(ctx_.intern_predicate(field_predicate(field, PredicateOp::IsNull)));
    } else {
      node = lower_values(item, *chain, field);
    }
    if (!node)
      return std::nullopt;
    // `neq` (pySigma): the negation of the whole item, so it is true when the field is absent.
    return chain->neq ? ctx_.make_not(*node) : *node;
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

  // The values of an item, each through the chain: ORed, or ANDed under `all`. A value's own alternatives
  // (windash, base64offset, expand) are always ORed.
  std::optional<NodeId> lower_values(const ast::FieldItem& item, const Chain& chain, FieldId field) {
    const bool keyword = item.field.empty();
    std::vector<NodeId> nodes;
    bool ok = true;
    bool combination_reported = false;
    for (const ast::Value& value : item.values) {
      if (value.kind == ast::Value::Kind::Null && keyword) {
        diags_.error("modifier-value-type", value.location, "a keyword cannot be null");
        ok = false;
        continue;
      }
      if (value.kind == ast::Value::Kind::Null && item.value_is_list) {
        // Sigma: "null must not appear inside a value list"; a null check is a selection of its own.
        diags_.error("detection-value-type", value.location,
                     "null cannot be one of a list of values; test it in a selection of its own (`field: "
                     "null`)");
        ok = false;
        continue;
      }
      TypedValue typed = initial_value(value, keyword);
      if (!apply_chain(chain, value, typed, combination_reported)) {
        ok = false;
        continue;
      }
      if (keyword && typed.kind == Kind::String) {
        // Keywords search every value of the event: an implicit `*` on both sides.
        for (Symbols& alternative : typed.strings)
          add_wildcards(alternative, true, true);
      }
      if (auto node = finish_value(typed, chain, value, field)) {
        nodes.push_back(*node);
      } else {
        ok = false;
      }
    }
    if (!ok)
      return std::nullopt;
    return chain.all ? ctx_.make_and(std::move(nodes)) : ctx_.make_or(std::move(nodes));
  }

  // A value as written: its YAML type decides its kind. Keywords are strings: numbers and booleans are
  // searched as the text they were written as.
  static TypedValue initial_value(const ast::Value& value, bool keyword) {
    TypedValue typed;
    switch (keyword ? ast::Value::Kind::String : value.kind) {
      case ast::Value::Kind::String:
        typed.kind = Kind::String;
        typed.strings.push_back(parse_symbols(value.text));
        break;
      case ast::Value::Kind::Integer:
      case ast::Value::Kind::Float:
        typed.kind = Kind::Number;
        typed.number_text = value.text;
        typed.number = std::strtod(value.text.c_str(), nullptr);
        typed.integer = value.kind == ast::Value::Kind::Integer;
        break;
      case ast::Value::Kind::Boolean:
        typed.kind = Kind::Boolean;
        typed.boolean = value.text == "true";
        break;
      case ast::Value::Kind::Null:
        typed.kind = Kind::Null;
        break;
    }
    return typed;
  }

  bool apply_chain(const Chain& chain, const ast::Value& source, TypedValue& value,
                   bool& combination_reported) {
    for (const Chain::Step& step : chain.steps) {
      if (!apply_step(step, chain, source, value, combination_reported))
        return false;
    }
    return true;
  }

  // A modifier given a value of the wrong kind. When the value is as written, the value is wrong (an error
  // at the value); when an earlier modifier made it that kind, the chain is (an error at the key, once).
  bool kind_error(const Chain::Step& step, const Chain& chain, const ast::Value& source,
                  const TypedValue& value, const char* needs, bool& combination_reported) {
    if (value.produced_by.empty()) {
      diags_.error("modifier-value-type", source.location,
                   "modifier '" + step.name + "' needs " + needs + ", found " + value_kind_name(source.kind));
    } else if (!combination_reported) {
      combination_reported = true;
      diags_.error("modifier-combination", chain.location,
                   "modifier '" + step.name + "' cannot follow '" + value.produced_by + "': it needs " +
                       needs + ", and '" + value.produced_by + "' makes the value " +
                       kind_description(value.kind));
    }
    return false;
  }

  // Replaces each string alternative by the alternatives `transform` makes of it; false (after an error)
  // when they would be more than kMaxAlternatives.
  template <typename Transform>
  bool transform_strings(TypedValue& value, const ast::Value& source, const std::string& modifier,
                         Transform transform) {
    std::vector<Symbols> out;
    for (const Symbols& alternative : value.strings) {
      std::vector<Symbols> made = transform(alternative);
      if (out.size() + made.size() > kMaxAlternatives) {
        diags_.error("modifier-expansion-too-large", source.location,
                     "'" + modifier + "' expands this value into more than " +
                         std::to_string(kMaxAlternatives) + " alternatives");
        return false;
      }
      for (Symbols& m : made)
        out.push_back(std::move(m));
    }
    value.strings = std::move(out);
    return true;
  }

  bool apply_step(const Chain::Step& step, const Chain& chain, const ast::Value& source, TypedValue& value,
                  bool& combination_reported) {
    switch (step.mod) {
      case Mod::Contains:
      case Mod::StartsWith:
      case Mod::EndsWith: {
        const bool lead = step.mod != Mod::StartsWith;
        const bool trail = step.mod != Mod::EndsWith;
        if (value.kind == Kind::String) {
          for (Symbols& alternative : value.strings)
            add_wildcards(alternative, lead, trail);
          return true;
        }
        if (value.kind == Kind::FieldRef) {
          value.ref_prefix = value.ref_prefix || trail;
          value.ref_suffix = value.ref_suffix || lead;
          return true;
        }
        // On a regex pySigma adds `.*` where the regex is open, which changes nothing for a search.
        if (value.kind == Kind::Regex)
          return true;
        return kind_error(step, chain, source, value, "a string, a regular expression or a field reference",
                          combination_reported);
      }
      case Mod::Cased:
        if (value.kind == Kind::String || value.kind == Kind::FieldRef)
          return true;
        return kind_error(step, chain, source, value, "a string", combination_reported);
      case Mod::Base64:
      case Mod::Base64Offset: {
        if (value.kind != Kind::String)
          return kind_error(step, chain, source, value, "a string", combination_reported);
        for (const Symbols& alternative : value.strings) {
          if (has_wildcards(alternative)) {
            diags_.error(
                "modifier-value-invalid", source.location,
                "'" + step.name +
                    "' cannot encode a value with wildcards; escape a literal '*' or '?' as '\\*' or "
                    "'\\?'");
            return false;
          }
        }
        bool empty_alternative = false;
        const bool offsets = step.mod == Mod::Base64Offset;
        const bool fits = transform_strings(value, source, step.name, [&](const Symbols& alternative) {
          const std::string bytes = symbol_bytes(alternative);
          std::vector<Symbols> made;
          if (!offsets) {
            made.push_back(literal_symbols(base64_encode(bytes)));
            return made;
          }
          for (const std::string& encoded : base64_offsets(bytes)) {
            empty_alternative = empty_alternative || encoded.empty();
            made.push_back(literal_symbols(encoded));
          }
          return made;
        });
        if (fits && empty_alternative) {
          diags_.warning("modifier-value-too-short", source.location,
                         "'base64offset' of a value this short has an empty alternative, which matches every "
                         "value");
        }
        return fits;
      }
      case Mod::Wide:
      case Mod::Utf16Be:
      case Mod::Utf16: {
        if (value.kind != Kind::String)
          return kind_error(step, chain, source, value, "a string", combination_reported);
        const Utf16Form form = step.mod == Mod::Wide      ? Utf16Form::LittleEndian
                               : step.mod == Mod::Utf16Be ? Utf16Form::BigEndian
                                                          : Utf16Form::LittleEndianWithBom;
        for (Symbols& alternative : value.strings)
          alternative = encode_utf16(alternative, form);
        return true;
      }
      case Mod::Windash: {
        if (value.kind != Kind::String)
          return kind_error(step, chain, source, value, "a string", combination_reported);
        // Count first: 5^positions grows too fast to build what would be refused.
        size_t total = 0;
        for (const Symbols& alternative : value.strings) {
          size_t made = 1;
          for (size_t i = windash_positions(alternative); i > 0 && made <= kMaxAlternatives; --i)
            made *= 5;
          total += made;
          if (total > kMaxAlternatives) {
            diags_.error("modifier-expansion-too-large", source.location,
                         "'" + step.name + "' expands this value into more than " +
                             std::to_string(kMaxAlternatives) + " alternatives");
            return false;
          }
        }
        return transform_strings(value, source, step.name,
                                 [](const Symbols& alternative) { return expand_windash(alternative); });
      }
      case Mod::Re:
        if (value.kind != Kind::String)
          return kind_error(step, chain, source, value, "a string", combination_reported);
        value.kind = Kind::Regex;
        value.regexes = {source.text};  // the raw string: regexes bypass Sigma escaping
        value.strings.clear();
        value.produced_by = step.name;
        return true;
      case Mod::ReIgnoreCase:
      case Mod::ReMultiLine:
      case Mod::ReDotAll:
        if (value.kind == Kind::Regex)
          return true;
        return kind_error(step, chain, source, value, "a regular expression", combination_reported);
      case Mod::Cidr: {
        if (value.kind != Kind::String)
          return kind_error(step, chain, source, value, "a string", combination_reported);
        interp::IpAddress network;
        unsigned prefix = 0;
        std::string reason;
        if (!interp::parse_ip_network(source.text, network, prefix, &reason)) {
          diags_.error("modifier-value-invalid", source.location, "invalid network for 'cidr': " + reason);
          return false;
        }
        value.kind = Kind::Cidr;
        value.network = source.text;
        value.strings.clear();
        value.produced_by = step.name;
        return true;
      }
      case Mod::Gt:
      case Mod::Gte:
      case Mod::Lt:
      case Mod::Lte:
        if (value.kind != Kind::Number && value.kind != Kind::TimePart)
          return kind_error(step, chain, source, value, "a number", combination_reported);
        value.kind = Kind::Compare;
        value.comparison = step.mod == Mod::Gt    ? Comparison::Gt
                           : step.mod == Mod::Gte ? Comparison::Gte
                           : step.mod == Mod::Lt  ? Comparison::Lt
                                                  : Comparison::Lte;
        value.produced_by = step.name;
        return true;
      case Mod::Minute:
      case Mod::Hour:
      case Mod::Day:
      case Mod::Week:
      case Mod::Month:
      case Mod::Year:
        if (value.kind != Kind::Number)
          return kind_error(step, chain, source, value, "an integer", combination_reported);
        if (!value.integer) {
          diags_.error(
              "modifier-value-type", source.location,
              "modifier '" + step.name + "' needs an integer, found " + value_kind_name(source.kind));
          return false;
        }
        value.kind = Kind::TimePart;
        value.has_time_part = true;
        value.time_part = step.mod == Mod::Minute  ? TimeComponent::Minute
                          : step.mod == Mod::Hour  ? TimeComponent::Hour
                          : step.mod == Mod::Day   ? TimeComponent::Day
                          : step.mod == Mod::Week  ? TimeComponent::Week
                          : step.mod == Mod::Month ? TimeComponent::Month
                                                   : TimeComponent::Year;
        value.produced_by = step.name;
        return true;
      case Mod::Expand:
        return expand(step, chain, source, value, combination_reported);
      case Mod::FieldRef:
        if (value.kind != Kind::String)
          return kind_error(step, chain, source, value, "a string", combination_reported);
        for (const Symbols& alternative : value.strings) {
          if (has_wildcards(alternative)) {
            diags_.error("modifier-value-invalid", source.location,
                         "a field reference cannot contain wildcards");
            return false;
          }
          if (alternative.empty()) {
            diags_.error("modifier-value-invalid", source.location, "a field reference needs a field name");
            return false;
          }
          value.fields.push_back(symbol_bytes(alternative));
        }
        value.kind = Kind::FieldRef;
        value.strings.clear();
        value.produced_by = step.name;
        return true;
      case Mod::All:
      case Mod::Neq:
      case Mod::Exists:
        return true;  // list modifiers and `exists` are not steps
    }
    return true;
  }

  // `expand`: placeholders replaced where the modifier stands, so later modifiers (windash, base64, ...)
  // apply to the substituted values.
  bool expand(const Chain::Step& step, const Chain& chain, const ast::Value& source, TypedValue& value,
              bool& combination_reported) {
    if (value.kind != Kind::String && value.kind != Kind::Regex)
      return kind_error(step, chain, source, value, "a string or a regular expression", combination_reported);
    std::vector<PlaceholderResult> results;
    size_t total = 0;
    auto check = [&](const PlaceholderResult& result) {
      if (!result.unresolved.empty()) {
        diags_.error(
            "placeholder-unresolved", source.location,
            context_.placeholders == nullptr
                ? "placeholder '%" + result.unresolved +
                      "%' has no values; give them in a placeholders file (--placeholders FILE)"
                : "placeholder '%" + result.unresolved + "%' is not defined in the placeholders file");
        return false;
      }
      total += result.alternatives.size();
      if (result.too_many || total > kMaxAlternatives) {
        diags_.error(
            "modifier-expansion-too-large", source.location,
            "'expand' makes more than " + std::to_string(kMaxAlternatives) + " alternatives of this value");
        return false;
      }
      return true;
    };
    if (value.kind == Kind::Regex) {
      std::vector<std::string> regexes;
      for (const std::string& regex : value.regexes) {
        PlaceholderResult result = expand_regex_placeholders(regex, context_.placeholders, kMaxAlternatives);
        if (!check(result))
          return false;
        for (const Symbols& alternative : result.alternatives)
          regexes.push_back(symbol_bytes(alternative));
      }
      value.regexes = std::move(regexes);
      return true;
    }
    std::vector<Symbols> strings;
    for (const Symbols& alternative : value.strings) {
      PlaceholderResult result = expand_placeholders(alternative, context_.placeholders, kMaxAlternatives);
      if (!check(result))
        return false;
      for (Symbols& s : result.alternatives)
        strings.push_back(std::move(s));
    }
    value.strings = std::move(strings);
    return true;
  }

  // The predicates of a value at the end of its chain.
  std::optional<NodeId> finish_value(const TypedValue& value, const Chain& chain, const ast::Value& source,
                                     FieldId field) {
    std::vector<NodeId> alternatives;
    auto add = [&](Predicate p) {
      alternatives.push_back(ctx_.make_predicate_node(ctx_.intern_predicate(std::move(p))));
    };
    Predicate p;
    p.field = field;
    switch (value.kind) {
      case Kind::String: {
        bool never_warned = false;
        for (const Symbols& alternative : value.strings) {
          std::optional<Predicate> string = string_predicate(alternative, chain.cased, field);
          if (string) {
            add(std::move(*string));
            continue;
          }
          if (!never_warned) {
            never_warned = true;
            diags_.warning("value-never-matches", source.location,
                           "the encoded value holds bytes (0xFE, 0xFF) that never occur in UTF-8 event text, "
                           "so it never matches; add 'base64' or 'base64offset' to match an encoding of it");
          }
          alternatives.push_back(ctx_.make_constant(false));
        }
        break;
      }
      case Kind::Regex:
        for (const std::string& regex : value.regexes) {
          const interp::RegexError error =
              interp::regex_error_detail(regex, runtime_regex_options(chain.regex_flags));
          if (!error.reason.empty()) {
            // RE2 names the offending fragment, not its offset: point at it when the value holds it.
            diag::SourceLocation at = source.location;
            const size_t offset =
                error.fragment.empty() ? std::string::npos : source.text.find(error.fragment);
            if (source.kind == ast::Value::Kind::String && offset != std::string::npos)
              at = source.text_location(offset);
            diags_.error("regex-invalid", at, "invalid regular expression: " + error.reason);
            return std::nullopt;
          }
          p.op = PredicateOp::Regex;
          p.text = regex;
          p.regex_flags = chain.regex_flags;
          add(p);
        }
        break;
      case Kind::FieldRef:
        for (const std::string& name : value.fields) {
          p.op = value.ref_prefix && value.ref_suffix ? PredicateOp::FieldContains
                 : value.ref_prefix                   ? PredicateOp::FieldPrefix
                 : value.ref_suffix                   ? PredicateOp::FieldSuffix
                                                      : PredicateOp::FieldEq;
          p.other_field = ctx_.intern_field(event_field(name));
          p.cased = chain.cased;
          add(p);
        }
        break;
      case Kind::Number:
        p.op = PredicateOp::NumEq;
        p.text = value.number_text;
        p.number = value.number;
        p.number_is_integer = value.integer;
        add(p);
        break;
      case Kind::Boolean:
        p.op = PredicateOp::BoolEq;
        p.boolean = value.boolean;
        add(p);
        break;
      case Kind::Null:
        add(field_predicate(field, PredicateOp::IsNull));
        break;
      case Kind::TimePart:
      case Kind::Compare:
        p.op = value.has_time_part ? PredicateOp::TimePart : PredicateOp::NumCompare;
        p.text = value.number_text;
        p.number = value.number;
        p.comparison = value.kind == Kind::Compare ? value.comparison : Comparison::Eq;
        p.time_part = value.time_part;
        add(p);
        break;
      case Kind::Cidr:
        p.op = PredicateOp::Cidr;
        p.text = value.network;
        add(p);
        break;
    }
    return ctx_.make_or(std::move(alternatives));
  }

  // A string alternative as the cheapest string predicate: leading and trailing stars become
  // prefix/suffix/contains tests, anything else with a wildcard a glob. nullopt when the alternative holds
  // a byte that cannot occur in UTF-8 (only UTF-16 encodings make those), which never matches.
  static std::optional<Predicate> string_predicate(const Symbols& symbols, bool cased, FieldId field) {
    std::string pattern;
    pattern.reserve(symbols.size());
    for (Symbol s : symbols) {
      if (s == kSymbolStar) {
        pattern += kStar;
      } else if (s == kSymbolQuestion) {
        pattern += kQuestion;
      } else if (s == kSigrunGlobStar || s == kSigrunGlobQuestion) {
        return std::nullopt;
      } else {
        pattern += static_cast<char>(s);
      }
    }
    Predicate p;
    p.field = field;
    p.cased = cased;
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
      return p;
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
    return p;
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
        for (Identifier& identifier : identifiers_) {
          if (identifier.name == node.text) {
            identifier.used = true;
            return identifier.node;
          }
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
    for (Identifier& identifier : identifiers_) {
      if (!include_underscore && !identifier.name.empty() && identifier.name[0] == '_')
        continue;
      if (!them && !quantifier_pattern_matches(node.text, identifier.name))
        continue;
      any = true;
      identifier.used = true;
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

  const ast::Rule& rule_;
  Context& ctx_;
  diag::DiagnosticEngine& diags_;
  const RuleContext& context_;
  std::vector<Identifier> identifiers_;
};

}  // namespace

bool quantifier_pattern_matches(const std::string& pattern, const std::string& name) {
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

std::string parse_sigma_string(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (Symbol s : parse_symbols(raw)) {
    out += s == kSymbolStar ? kStar : s == kSymbolQuestion ? kQuestion : static_cast<char>(s);
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
