// Implements driver/rule_tests.h: read_rule_tests and yaml_to_json.
//
// The attribute's grammar (docs/authoring.md):
//   tests    = map of { "match" : events, "no_match" : events }, at least one event in all
//   events   = list of event
//   event    = YAML map (block or flow style: a JSON object pasted as is is a flow map)
//            | string holding a JSON object
#include "driver/rule_tests.h"

#include <cstdio>
#include <string_view>

namespace sigrun::compiler::detail {
namespace {

using ast::YamlValue;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
bool is_json_number(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-')
    ++i;
  if (i == t.size() || !is_digit(t[i]))
    return false;
  if (t[i] == '0') {
    ++i;
  } else {
    while (i < t.size() && is_digit(t[i]))
      ++i;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (i == t.size() || !is_digit(t[i]))
      return false;
    while (i < t.size() && is_digit(t[i]))
      ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+'))
      ++i;
    if (i == t.size() || !is_digit(t[i]))
      return false;
    while (i < t.size() && is_digit(t[i]))
      ++i;
  }
  return i == t.size();
}

bool is_null_word(std::string_view t) {
  return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL";
}

void append_json_string(std::string_view text, std::string& out) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_json(const YamlValue& value, std::string& out) {
  switch (value.kind) {
    case YamlValue::Kind::Null:
      out += "null";
      return;
    case YamlValue::Kind::Sequence:
      out += '[';
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i != 0)
          out += ',';
        append_json(value.items[i], out);
      }
      out += ']';
      return;
    case YamlValue::Kind::Map:
      out += '{';
      for (size_t i = 0; i < value.entries.size(); ++i) {
        if (i != 0)
          out += ',';
        append_json_string(value.entries[i].first.text, out);
        out += ':';
        append_json(value.entries[i].second, out);
      }
      out += '}';
      return;
    case YamlValue::Kind::Scalar:
      break;
  }
  const std::string& t = value.text;
  if (!value.plain) {
    append_json_string(t, out);
  } else if (is_null_word(t)) {
    out += "null";
  } else if (t == "true" || t == "True" || t == "TRUE") {
    out += "true";
  } else if (t == "false" || t == "False" || t == "FALSE") {
    out += "false";
  } else if (is_json_number(t)) {
    out += t;
  } else {
    append_json_string(t, out);
  }
}

// A string event must hold a JSON object; whether it is valid JSON is found when it is run.
bool starts_like_object(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

// What a node is, for the "found ..." part of a message.
std::string describe(const YamlValue& node) {
  switch (node.kind) {
    case YamlValue::Kind::Null:
      return "null";
    case YamlValue::Kind::Sequence:
      return "a list";
    case YamlValue::Kind::Map:
      return "a map";
    case YamlValue::Kind::Scalar:
      break;
  }
  if (node.plain && is_null_word(node.text))
    return "null";
  if (node.plain && is_json_number(node.text))
    return "a number";
  if (node.plain && (node.text == "true" || node.text == "false"))
    return "a boolean";
  return starts_like_object(node.text) ? "a string" : "a string that is not a JSON object";
}

class TestsReader {
 public:
  TestsReader(diag::DiagnosticEngine& diags, AuthoringRule& out) : diags_(diags), out_(out) {}

  bool read(const YamlValue& tests) {
    out_.has_tests = true;
    if (tests.kind != YamlValue::Kind::Map) {
      error(tests.location,
            "expected a map with 'match' and/or 'no_match' lists of events for 'tests', found " +
                describe(tests));
      return false;
    }
    for (const auto& [key, events] : tests.entries) {
      if (key.text == "match") {
        read_events(events, "match", /*expect_match=*/true);
      } else if (key.text == "no_match") {
        read_events(events, "no_match", /*expect_match=*/false);
      } else {
        error(key.location, "unknown key '" + key.text + "' in 'tests'; expected 'match' or 'no_match'");
      }
    }
    if (ok_ && out_.tests.empty()) {
      error(tests.location, "'tests' has no events; expected events under 'match' or 'no_match'");
    }
    return ok_;
  }

 private:
  void read_events(const YamlValue& events, const char* list, bool expect_match) {
    if (events.kind != YamlValue::Kind::Sequence) {
      error(events.location,
            std::string("expected a list of events for '") + list + "', found " + describe(events));
      return;
    }
    uint32_t index = 0;
    for (const YamlValue& event : events.items) {
      ++index;
      RuleTest test;
      test.expect_match = expect_match;
      test.index = index;
      test.line = event.location.line;
      if (event.kind == YamlValue::Kind::Map) {
        append_json(event, test.event);
      } else if (event.kind == YamlValue::Kind::Scalar && starts_like_object(event.text)) {
        test.event = event.text;
      } else {
        error(event.location, std::string("expected an event in '") + list +
                                  "': a map, or a string holding a JSON object; found " + describe(event));
        continue;
      }
      out_.tests.push_back(std::move(test));
    }
  }

  void error(diag::SourceLocation location, std::string message) {
    diags_.error("rule-tests-shape", location, std::move(message));
    ok_ = false;
  }

  diag::DiagnosticEngine& diags_;
  AuthoringRule& out_;
  bool ok_ = true;
};

}  // namespace

bool read_rule_tests(const ast::Rule& rule, diag::DiagnosticEngine& diags, AuthoringRule& out) {
  for (const auto& [name, value] : rule.custom) {
    if (name == "tests")
      return TestsReader(diags, out).read(value);
  }
  return true;
}

std::string yaml_to_json(const ast::YamlValue& value) {
  std::string out;
  append_json(value, out);
  return out;
}

}  // namespace sigrun::compiler::detail
