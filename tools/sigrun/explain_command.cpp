// `sigrun explain --rules PATH... EVENT`: why rules matched one event (or, with --rule, why one did not).
// Prints each rule's condition as written, each identifier, map, item and compiled predicate marked true
// or false with the event's values beside it. The engine's backend decides the match; the marks are the
// reference interpreter's, and both are checked to agree with each other and with the condition's logic.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "authoring_loading.h"
#include "commands.h"
#include "sigrun/compiler/compiler.h"
#include "sigrun/event_trace.h"

namespace sigrun::cli {
namespace {

struct ExplainOptions {
  std::string placeholders;
  std::vector<std::string> rule_paths;
  std::vector<std::string> rules;  // ids or titles to explain, matched or not
  std::string event = "-";
  uint64_t line = 0;  // 0: the whole input is the event
  std::string engine = "jit";
  bool keep_going = false;
};

// Values longer than this are cut, so one line stays readable.
constexpr size_t kMaxValueChars = 80;
// At most this many values of an array are shown.
constexpr size_t kMaxValues = 4;

// Length of the valid UTF-8 sequence at text[at], or 0 when the bytes there are not one.
size_t utf8_sequence(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const size_t n = lead < 0x80             ? 1
                   : (lead & 0xE0) == 0xC0 ? 2
                   : (lead & 0xF0) == 0xE0 ? 3
                   : (lead & 0xF8) == 0xF0 ? 4
                                           : 0;
  if (n == 0 || (n == 2 && lead < 0xC2) || at + n > text.size())
    return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[at + k]) & 0xC0) != 0x80)
      return 0;
  }
  return n;
}

// `text` in double quotes, as Sigma rules write values: a backslash is itself; `"`, line breaks, tabs and
// control characters are escaped (\", \n, \t, \xNN), as are bytes that are not UTF-8. With `glob`, the
// wildcard bytes print as * and ?, and literal *, ? and \ get Sigma's escapes \*, \? and \\. Cut after
// kMaxValueChars characters when `cut`.
std::string quote_text(std::string_view text, bool glob = false, bool cut = false) {
  std::string out = "\"";
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    if (cut && chars == kMaxValueChars) {
      out += "...";
      break;
    }
    ++chars;
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = utf8_sequence(text, i);
    if (glob && c == kSigrunGlobStar) {
      out += '*';
    } else if (glob && c == kSigrunGlobQuestion) {
      out += '?';
    } else if (glob && (c == '*' || c == '?' || c == '\\')) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F || n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  return out + "\"";
}

std::string field_name(const program::Program& program, uint32_t slot) {
  const std::string& path = program.fields[slot].path;
  return path.empty() ? "any value" : path;
}

const char* comparison_text(uint32_t flags) {
  switch ((flags & kSigrunComparisonMask) >> kSigrunComparisonShift) {
    case kSigrunCompareEq:
      return "==";
    case kSigrunCompareGt:
      return ">";
    case kSigrunCompareGte:
      return ">=";
    case kSigrunCompareLt:
      return "<";
    case kSigrunCompareLte:
      return "<=";
  }
  return "?";
}

const char* time_component_text(uint32_t flags) {
  switch ((flags & kSigrunTimeComponentMask) >> kSigrunTimeComponentShift) {
    case kSigrunTimeMinute:
      return "minute";
    case kSigrunTimeHour:
      return "hour";
    case kSigrunTimeDay:
      return "day";
    case kSigrunTimeWeek:
      return "week";
    case kSigrunTimeMonth:
      return "month";
    case kSigrunTimeYear:
      return "year";
  }
  return "?";
}

// A Cidr operand: the network's address bytes (4 or 16) and its prefix length.
std::string network_text(const program::OperandData& operand) {
  const std::string& bytes = operand.text;
  std::string out;
  char buf[8];
  if (bytes.size() == 4) {
    for (size_t i = 0; i < 4; ++i) {
      out += (i == 0 ? "" : ".") + std::to_string(static_cast<unsigned char>(bytes[i]));
    }
  } else {
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      std::snprintf(buf, sizeof buf, "%x",
                    static_cast<unsigned>(static_cast<unsigned char>(bytes[i]) << 8 |
                                          static_cast<unsigned char>(bytes[i + 1])));
      out += (i == 0 ? "" : ":") + std::string(buf);
    }
  }
  return out + "/" + std::to_string(static_cast<unsigned>(operand.number));
}

// `eventName equals "inviteaccounttoorganization"`: a predicate in the rule's terms. String literals are
// shown as compiled (case-folded unless cased).
std::string describe_predicate(const program::Program& program, const abi::Predicate& p) {
  const std::string field = field_name(program, p.slot);
  if (abi::opcode_is_slot_scope(p.op))
    return field + (p.op == abi::Opcode::Exists ? " exists" : " is null or absent");
  const program::OperandData& o = program.operands[p.operand];
  const std::string cased = (o.flags & kSigrunCased) != 0 ? " (cased)" : "";
  switch (p.op) {
    case abi::Opcode::Exists:
    case abi::Opcode::IsNull:
      break;
    case abi::Opcode::StrEq:
      return field + " equals " + quote_text(o.text) + cased;
    case abi::Opcode::StrPrefix:
      return field + " starts with " + quote_text(o.text) + cased;
    case abi::Opcode::StrSuffix:
      return field + " ends with " + quote_text(o.text) + cased;
    case abi::Opcode::StrContains:
      return field + " contains " + quote_text(o.text) + cased;
    case abi::Opcode::StrGlob:
      return field + " matches " + quote_text(o.text, /*glob=*/true) + cased;
    case abi::Opcode::NumEq:
      return field + " == " + o.text;
    case abi::Opcode::BoolEq:
      return field + " is " + o.text;
    case abi::Opcode::Regex: {
      std::string flags;
      flags += (o.regex_options & program::kRegexIgnoreCase) != 0 ? "i" : "";
      flags += (o.regex_options & program::kRegexMultiLine) != 0 ? "m" : "";
      flags += (o.regex_options & program::kRegexDotAll) != 0 ? "s" : "";
      return field + " matches regex " + quote_text(o.text) + (flags.empty() ? "" : " (flags " + flags + ")");
    }
    case abi::Opcode::NumCompare:
      return field + " " + comparison_text(o.flags) + " " + o.text;
    case abi::Opcode::TimePart:
      return field + " " + time_component_text(o.flags) + " " + comparison_text(o.flags) + " " + o.text;
    case abi::Opcode::Cidr:
      return field + " is in " + network_text(o);
    case abi::Opcode::FieldEq:
      return field + " equals field " + field_name(program, p.other_slot) + cased;
    case abi::Opcode::FieldPrefix:
      return field + " starts with field " + field_name(program, p.other_slot) + cased;
    case abi::Opcode::FieldSuffix:
      return field + " ends with field " + field_name(program, p.other_slot) + cased;
    case abi::Opcode::FieldContains:
      return field + " contains field " + field_name(program, p.other_slot) + cased;
  }
  return field + " " + abi::opcode_name(p.op);
}

std::string value_text(const SigrunValue& v) {
  const std::string_view text(v.text, v.text_len);
  if (v.kind == kSigrunString)
    return quote_text(text, /*glob=*/false, /*cut=*/true);
  if (text.size() > kMaxValueChars)
    return std::string(text.substr(0, kMaxValueChars)) + "...";
  return std::string(text);
}

// The event's values for a slot, as shown beside a predicate.
std::string values_text(const program::Program& program, const EventTrace& trace, uint32_t slot) {
  const EventTrace::Values values = trace.values(slot);
  if (!values.present)
    return "absent";
  if (program.fields[slot].path.empty())
    return std::to_string(values.values.size()) + " values in the event";
  if (values.values.size() == 1)
    return value_text(values.values[0]);
  std::string out = "[";
  for (size_t i = 0; i < values.values.size() && i < kMaxValues; ++i)
    out += (i == 0 ? "" : ", ") + value_text(values.values[i]);
  if (values.values.size() > kMaxValues)
    out += ", ... " + std::to_string(values.values.size() - kMaxValues) + " more";
  return out + "]";
}

// One printed line: the mark, the indented text, and what the event has (for predicates).
struct Line {
  bool value;
  std::string text;
  std::string event;
};

// Walks a rule's explanation, collecting lines and checking that each part's value is what the condition's
// logic makes of its children's values.
class Explainer {
 public:
  Explainer(const program::Program& program, const EventTrace& trace) : program_(program), trace_(trace) {}

  void condition(const compiler::ExplainNode& node, size_t depth) {
    using Kind = compiler::ExplainNode::Kind;
    const bool value = trace_.node(node.node);
    std::string text;
    switch (node.kind) {
      case Kind::And:
        text = "and";
        check(node, value, all_children(node), "and");
        break;
      case Kind::Or:
        text = "or";
        check(node, value, any_child(node), "or");
        break;
      case Kind::Not:
        text = "not";
        check(node, value, !trace_.node(node.children.at(0).node), "not");
        break;
      case Kind::OneOf:
        text = "1 of " + node.text;
        check(node, value, any_child(node), text);
        break;
      case Kind::AllOf:
        text = "all of " + node.text;
        check(node, value, all_children(node), text);
        break;
      case Kind::Identifier:
        identifier(node, value, depth);
        return;
      case Kind::Keywords:
      case Kind::Selection:
      case Kind::Item:
        problems_.push_back("unexpected part of a condition at line " + std::to_string(node.line));
        return;
    }
    add(value, depth, text + at_line(node.line));
    for (const compiler::ExplainNode& child : node.children)
      condition(child, depth + 1);
  }

  const std::vector<Line>& lines() const { return lines_; }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  // An identifier's keyword list and maps; a lone map is not shown as a level of its own.
  void identifier(const compiler::ExplainNode& node, bool value, size_t depth) {
    using Kind = compiler::ExplainNode::Kind;
    check(node, value, any_child(node), "identifier " + node.text);
    add(value, depth, node.text + at_line(node.line));
    const bool lone_map = node.children.size() == 1 && node.children[0].kind == Kind::Selection;
    size_t map_number = 0;
    for (const compiler::ExplainNode& part : node.children) {
      const bool part_value = trace_.node(part.node);
      if (part.kind == Kind::Keywords) {
        add(part_value, depth + 1, "keywords" + at_line(part.line));
        dag(part.node, depth + 2);
        continue;
      }
      ++map_number;
      check(part, part_value, all_children(part), "map of " + node.text);
      size_t item_depth = depth + 1;
      if (!lone_map) {
        add(part_value, depth + 1, "map " + std::to_string(map_number) + at_line(part.line));
        item_depth = depth + 2;
      }
      for (const compiler::ExplainNode& item : part.children) {
        add(trace_.node(item.node), item_depth, item.text + at_line(item.line));
        dag(item.node, item_depth + 1);
      }
    }
  }

  // The program's own nodes below an item: how its values were compiled.
  void dag(uint32_t node, size_t depth) {
    const abi::BoolNode& n = program_.nodes[node];
    const bool value = trace_.node(node);
    switch (n.op) {
      case abi::BoolOp::And:
      case abi::BoolOp::Or:
        add(value, depth, n.op == abi::BoolOp::And ? "all of" : "any of");
        for (uint32_t k = 0; k < n.count; ++k)
          dag(program_.children[n.arg + k], depth + 1);
        return;
      case abi::BoolOp::Not:
        add(value, depth, "not");
        dag(n.arg, depth + 1);
        return;
      case abi::BoolOp::Pred: {
        const abi::Predicate& p = program_.predicates[n.arg];
        std::string event = abi::opcode_is_slot_scope(p.op)
                                ? (trace_.values(p.slot).present ? "present" : "absent")
                                : values_text(program_, trace_, p.slot);
        if (abi::opcode_scope(p.op) == abi::OpcodeScope::Pair)
          event +=
              "; " + field_name(program_, p.other_slot) + ": " + values_text(program_, trace_, p.other_slot);
        add(value, depth, describe_predicate(program_, p), "event: " + event);
        return;
      }
      case abi::BoolOp::True:
        add(value, depth, "always true");
        return;
      case abi::BoolOp::False:
        add(value, depth, "always false");
        return;
    }
  }

  bool all_children(const compiler::ExplainNode& node) const {
    return std::all_of(node.children.begin(), node.children.end(),
                       [&](const compiler::ExplainNode& c) { return trace_.node(c.node); });
  }
  bool any_child(const compiler::ExplainNode& node) const {
    return std::any_of(node.children.begin(), node.children.end(),
                       [&](const compiler::ExplainNode& c) { return trace_.node(c.node); });
  }

  void check(const compiler::ExplainNode& node, bool value, bool from_children, const std::string& what) {
    if (value != from_children) {
      problems_.push_back(what + " at line " + std::to_string(node.line) + " is " +
                          (value ? "true" : "false") + " but its parts make it " +
                          (from_children ? "true" : "false"));
    }
  }

  static std::string at_line(uint32_t line) {
    return line == 0 ? "" : "  (line " + std::to_string(line) + ")";
  }

  void add(bool value, size_t depth, std::string text, std::string event = "") {
    lines_.push_back({value, std::string(2 * depth, ' ') + std::move(text), std::move(event)});
  }

  const program::Program& program_;
  const EventTrace& trace_;
  std::vector<Line> lines_;
  std::vector<std::string> problems_;
};

// Reads the event: the whole input, or line `line` of it.
bool read_event(const ExplainOptions& options, std::string& event) {
  std::string text;
  if (options.event == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(options.event, std::ios::binary);
    if (!in) {
      std::cerr << "sigrun: error: cannot read " << options.event << "\n";
      return false;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (options.line == 0) {
    event = std::move(text);
    return true;
  }
  std::istringstream lines(text);
  std::string current;
  for (uint64_t n = 1; std::getline(lines, current); ++n) {
    if (n == options.line) {
      if (!current.empty() && current.back() == '\r')
        current.pop_back();
      event = std::move(current);
      return true;
    }
  }
  std::cerr << "sigrun: error: " << (options.event == "-" ? "<stdin>" : options.event) << " has no line "
            << options.line << "\n";
  return false;
}

// Prints one rule's explanation; false when the backends or the explanation disagree (reported on stderr).
bool explain_rule(const program::Program& program, const compiler::AuthoringRule& authoring, uint32_t rule,
                  const EventTrace& trace, const Engine& engine) {
  const program::RuleInfo& info = program.rules[rule];
  const bool matched = trace.rule_matches(rule);
  const bool reference = trace.reference_matches(rule);
  const std::string backend(engine.backend());
  std::cout << "rule: " << info.title << "\n";
  if (!info.id.empty())
    std::cout << "  id: " << info.id << "\n";
  std::cout << "  file: " << info.source_file << ":" << info.source_line << "\n";
  std::cout << "  result: " << (matched ? "match" : "no match") << " (engine " << backend
            << (matched == reference ? (backend == "interp" ? ")\n" : "; the reference interpreter agrees)\n")
                                     : "; THE REFERENCE INTERPRETER DISAGREES)\n");

  const compiler::RuleExplanation& explanation = authoring.explanation;
  bool ok = true;
  if (matched != reference) {
    std::cerr << "sigrun: error: the " << backend << " engine says " << (matched ? "match" : "no match")
              << " but the reference interpreter says " << (reference ? "match" : "no match") << " for rule '"
              << info.title << "'; this is a bug in sigrun, please report it with the rule and the event\n";
    ok = false;
  }
  if (explanation.conditions.empty()) {
    std::cerr << "sigrun: error: no explanation was built for rule '" << info.title
              << "'; this is a bug in sigrun, please report it with the rule\n";
    return false;
  }
  bool any_condition = false;
  for (const compiler::ExplainNode& condition : explanation.conditions)
    any_condition = any_condition || trace.node(condition.node);
  if (any_condition != reference) {
    std::cerr << "sigrun: error: rule '" << info.title << "': its conditions make it "
              << (any_condition ? "match" : "not match") << " but the reference interpreter says "
              << (reference ? "match" : "no match") << "; this is a bug in sigrun, please report it\n";
    ok = false;
  }

  for (size_t i = 0; i < explanation.conditions.size(); ++i) {
    Explainer explainer(program, trace);
    explainer.condition(explanation.conditions[i], 0);
    std::cout << "  condition" << (explanation.conditions.size() > 1 ? " " + std::to_string(i + 1) : "")
              << ": " << explanation.condition_texts[i] << "\n";
    size_t width = 0;
    for (const Line& line : explainer.lines()) {
      if (!line.event.empty())
        width = std::max(width, line.text.size());
    }
    for (const Line& line : explainer.lines()) {
      std::string text = (line.value ? "true   " : "false  ") + line.text;
      if (!line.event.empty())
        text += std::string(width - line.text.size() + 3, ' ') + line.event;
      std::cout << "    " << text << "\n";
    }
    for (const std::string& problem : explainer.problems()) {
      std::cerr << "sigrun: error: rule '" << info.title << "': " << problem
                << "; this is a bug in sigrun, please report it\n";
      ok = false;
    }
  }
  return ok;
}

int run_explain(const ExplainOptions& options) {
  AuthoringRules loaded = load_authoring_rules(options.rule_paths, {options.placeholders});
  if (loaded.io_error)
    return kExitIoError;
  if (loaded.errors != 0 && !options.keep_going) {
    std::cerr << "sigrun: error: " << loaded.errors << " errors in the rules; nothing explained "
              << "(--keep-going explains the rules that compiled)\n";
    return kExitRuleErrors;
  }
  const compiler::AuthoringCompilation& c = loaded.compilation;
  const program::Program& program = c.compilation.program;

  std::vector<uint32_t> chosen;
  for (const std::string& wanted : options.rules) {
    bool found = false;
    for (uint32_t r = 0; r < program.rules.size(); ++r) {
      if (program.rules[r].id == wanted || program.rules[r].title == wanted) {
        found = true;
        if (std::find(chosen.begin(), chosen.end(), r) == chosen.end())
          chosen.push_back(r);
      }
    }
    if (!found) {
      std::cerr << "sigrun: error: --rule " << wanted << ": no compiled rule has this id or title\n";
      return kExitUsage;
    }
  }

  std::string event;
  if (!read_event(options, event))
    return kExitIoError;
  std::shared_ptr<const Engine> engine = make_authoring_engine(program, options.engine);
  if (!engine)
    return kExitRuleErrors;
  EventTrace trace(engine);
  std::string reason;
  if (!trace.load(event, &reason)) {
    std::cerr << "sigrun: error: the event cannot be read: " << reason
              << (options.line == 0 ? " (for a file of one event per line, pick one with --line N)" : "")
              << "\n";
    return kExitIoError;
  }

  if (options.rules.empty()) {
    for (uint32_t r = 0; r < program.rules.size(); ++r) {
      if (trace.rule_matches(r) || trace.reference_matches(r))
        chosen.push_back(r);
    }
  }
  std::cout << "engine: " << engine->backend() << " decides each match; the true/false marks are the "
            << "reference interpreter's results for each part and predicate\n";
  if (chosen.empty()) {
    std::cout << "no rule matched this event (" << program.rules.size()
              << " rules); --rule ID shows why a rule did not match\n";
  }
  bool agree = true;
  for (uint32_t r : chosen) {
    std::cout << "\n";
    agree = explain_rule(program, c.rules[r], r, trace, *engine) && agree;
  }
  std::cout.flush();
  if (!agree)
    return kExitInternalError;
  if (!std::cout)
    return kExitIoError;
  return loaded.errors == 0 ? kExitOk : kExitRuleErrors;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand("explain", "Show why rules matched an event, predicate by predicate");
  cmd->add_option("--rules,-r", options->rule_paths, "Rule files or directories (searched for *.yml, *.yaml)")
      ->required()
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("event", options->event,
                  "File holding one JSON event, or - for standard input (the default)");
  cmd->add_option("--rule", options->rules,
                  "Explain the rule with this id or title, whether or not it matched; repeat for more")
      ->allow_extra_args(false);
  cmd->add_option("--line", options->line, "The event is line N of the file (one JSON event per line)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--engine", options->engine,
                  "Backend deciding the matches: jit (native code, the default) or interp")
      ->check(CLI::IsMember({"jit", "interp"}));
  cmd->add_flag("--keep-going", options->keep_going,
                "Explain the rules that compiled even if others have errors");
  cmd->add_option("--placeholders", options->placeholders,
                  "YAML file of values for the expand modifier's %name% placeholders (name: [values])");
  return [options] { return run_explain(*options); };
}

}  // namespace sigrun::cli
