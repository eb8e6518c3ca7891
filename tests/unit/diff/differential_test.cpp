// Differential test: random rules over random events through the interpreter (the reference) and the JIT;
// any difference fails. Rules and events are drawn from one small vocabulary so that matches, misses,
// case variants, wildcards, escapes, arrays, nulls and numbers all occur often.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "sigrun/compiler/compiler.h"

namespace {

const std::vector<std::string> kFields = {"a", "b", "c.d", "Image", "EventID"};
const std::vector<std::string> kWords = {"foo",    "Foo",     "FOO",   "bar", "fooBar",
                                         "x\\\\y", "cmd.exe", "Ärger", ""};
const std::vector<std::string> kModifiers = {
    "",      "|contains", "|startswith", "|endswith",     "|contains|all",     "|cased",
    "|re",   "|exists",   "|neq",        "|contains|neq", "|windash|contains", "|base64offset|contains",
    "|cidr", "|gt",       "|lte",        "|hour|gte",     "|fieldref",         "|fieldref|contains"};
// Event texts the modifiers above look for: addresses, timestamps, Windows dashes, Base64.
const std::vector<std::string> kEventTexts = {
    "10.1.2.3", "::1",    "fe80::9",      "8.8.8.8", "2024-05-01T13:45:12Z", "2024-05-01 19:00:00",
    "x /foo y", "x –foo", "eGZvb2Jhcg==", "4687.5"};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[pick(v.size())];
  }

  std::string value_for(const std::string& modifier) {
    if (modifier == "|exists")
      return pick(2) ? "true" : "false";
    if (modifier == "|fieldref" || modifier == "|fieldref|contains")
      return pick(kFields);
    if (modifier == "|cidr") {
      static const std::vector<std::string> networks = {"'10.0.0.0/8'", "'127.0.0.0/8'", "'::1/128'",
                                                        "'fe80::/10'"};
      return pick(networks);
    }
    if (modifier == "|gt" || modifier == "|lte")
      return pick(2) ? std::to_string(pick(3) + 4686) : "4687.5";
    if (modifier == "|hour|gte")
      return std::to_string(pick(24));
    if (modifier == "|windash|contains")
      return pick(2) ? "' -foo'" : "'/Foo'";
    if (modifier == "|base64offset|contains")
      return pick(2) ? "'foobar'" : "'cmd.exe'";
    if (modifier == "|re") {
      static const std::vector<std::string> regexes = {"'^foo'", "'o+b'", "'(?i)bar$'", "'x\\\\\\\\y'",
                                                       "'.'"};
      return pick(regexes);
    }
    switch (pick(6)) {
      case 0:
        // Numbers and null only without string modifiers (those are compile errors there).
        if (modifier.empty() || modifier == "|neq")
          return std::to_string(pick(3) + 4687);
        return "'" + pick(kWords) + "'";
      case 1:
        return "'" + pick(kWords) + "*'";
      case 2:
        return "'?" + pick(kWords) + "'";
      case 3:
        return modifier.empty() || modifier == "|neq" ? "null" : "'" + pick(kWords) + "'";
      default:
        return "'" + pick(kWords) + "'";
    }
  }

  std::string rule(size_t index) {
    std::string text = "title: r" + std::to_string(index) + "\nlogsource: {product: test}\ndetection:\n";
    const size_t identifiers = 1 + pick(3);
    for (size_t i = 0; i < identifiers; ++i) {
      text += "  sel" + std::to_string(i) + ":\n";
      const size_t items = 1 + pick(2);
      std::vector<std::string> keys;  // a key may appear once per map (duplicates are a YAML error)
      for (size_t k = 0; k < items; ++k) {
        const std::string modifier = pick(kModifiers);
        const std::string key = pick(kFields) + modifier;
        if (std::find(keys.begin(), keys.end(), key) != keys.end())
          continue;
        keys.push_back(key);
        const std::string value = value_for(modifier);
        text += "    " + key + ":";
        if (modifier != "|exists" && value != "null" && pick(3) == 0) {
          std::string second = value_for(modifier);
          if (second == "null")
            second = "'bar'";  // null may not stand in a value list
          text += "\n      - " + value + "\n      - " + second + "\n";
        } else {
          text += " " + value + "\n";
        }
      }
    }
    static const std::vector<std::string> shapes = {"sel0",
                                                    "not sel0",
                                                    "1 of sel*",
                                                    "all of sel*",
                                                    "sel0 or not 1 of sel*",
                                                    "not (sel0 and all of them)"};
    text += "  condition: " + pick(shapes) + "\n";
    return text;
  }

  std::string json_value() {
    switch (pick(8)) {
      case 7:
        return "\"" + pick(kEventTexts) + "\"";
      case 0:
        return std::to_string(pick(3) + 4687);
      case 1:
        return "null";
      case 2:
        return "[\"" + pick(kWords) + "\", \"" + pick(kWords) + "\"]";
      case 3:
        return "\"" + pick(kWords) + pick(kWords) + "\"";
      case 4:
        return pick(2) ? "true" : "false";
      default:
        return "\"" + pick(kWords) + "\"";
    }
  }

  std::string event() {
    std::string text = "{";
    bool first = true;
    for (const std::string& field : kFields) {
      if (pick(4) == 0)
        continue;
      if (!first)
        text += ",";
      first = false;
      if (field == "c.d") {
        text += "\"c\":{\"d\":" + json_value() + "}";
      } else {
        text += "\"" + field + "\":" + json_value();
      }
    }
    return text + "}";
  }

 private:
  std::mt19937 rng_;
};

TEST(Differential, RandomRulesAndEventsGiveTheSameMatches) {
  if (!sigrun::compiler::jit_available())
    GTEST_SKIP() << "built without the JIT";
  Generator gen(20261125);
  std::string rules;
  for (size_t i = 0; i < 400; ++i)
    rules += (i ? "---\n" : "") + gen.rule(i);
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  auto compilation = sigrun::compiler::compile_rule_text("random.yml", rules, sources, diags);
  std::string rendered;
  for (const auto& d : diags.all())
    rendered += sigrun::diag::render(d, sources);
  ASSERT_EQ(diags.error_count(), 0u) << rendered.substr(0, 3000);
  ASSERT_EQ(compilation.program.rules.size(), 400u);

  auto interp = sigrun::compiler::make_engine(compilation.program, sigrun::compiler::Backend::Interpreter);
  auto jit = sigrun::compiler::make_engine(compilation.program, sigrun::compiler::Backend::Jit);
  ASSERT_TRUE(interp) << interp.error().message;
  ASSERT_TRUE(jit) << jit.error().message;
  sigrun::Scanner interp_scanner(interp.value());
  sigrun::Scanner jit_scanner(jit.value());
  size_t total_matches = 0;
  for (size_t e = 0; e < 1000; ++e) {
    const std::string event = gen.event();
    std::vector<std::string> expected;
    std::vector<std::string> actual;
    ASSERT_TRUE(interp_scanner.scan(event, e, [&](const sigrun::Match& m) {
      expected.push_back(m.rule->title);
    })) << event;
    ASSERT_TRUE(jit_scanner.scan(event, e, [&](const sigrun::Match& m) { actual.push_back(m.rule->title); }));
    ASSERT_EQ(actual, expected) << "event: " << event;
    total_matches += expected.size();
  }
  // The vocabulary is built for a mix of hits and misses; all-miss or all-hit would test nothing.
  EXPECT_GT(total_matches, 1000u);
  EXPECT_LT(total_matches, 400u * 1000u * 9 / 10);
}

}  // namespace
