// The rule reader: attributes, YAML 1.1 typing of plain values, detection shapes, conditions, and every
// error with its exact rendering. Also read_rule_file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "frontend/frontend.h"

namespace {

using sigrun::ast::Value;

struct Read {
  std::vector<std::optional<sigrun::ast::Rule>> rules;  // one per document
  std::string rendered;
  size_t errors = 0;
};

Read read(const std::string& text) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const uint32_t file = sources.add_file("r.yml", text);
  Read out;
  for (const auto& document : sigrun::frontend::load_yaml(file, sources.text(file), diags)) {
    out.rules.push_back(sigrun::frontend::read_rule(document, "r.yml", diags));
  }
  for (const auto& d : diags.all()) {
    out.rendered += sigrun::diag::render(d, sources);
  }
  out.errors = diags.error_count();
  return out;
}

// A valid rule whose detection section is `detection` (indented by two spaces, without `condition`).
std::string rule_with(const std::string& detection, const std::string& condition = "sel") {
  return "title: t\n"
         "logsource:\n"
         "  product: windows\n"
         "detection:\n" +
         detection + "  condition: " + condition + "\n";
}

TEST(RuleReader, ReadsEveryAttribute) {
  const Read r = read(
      "title: Suspicious Thing\n"
      "id: 5f3a1c2e-0000-4000-8000-000000000001\n"
      "name: suspicious_thing\n"
      "taxonomy: sigma\n"
      "status: test\n"
      "description: |\n"
      "  Two\n"
      "  lines\n"
      "license: DRL-1.1\n"
      "author: Alice, Bob\n"
      "date: 2024-01-02\n"
      "modified: 2024-02-03\n"
      "level: high\n"
      "related:\n"
      "  - id: 11111111-0000-4000-8000-000000000000\n"
      "    type: derived\n"
      "references:\n"
      "  - https://example.com/a\n"
      "tags:\n"
      "  - attack.t1059\n"
      "  - attack.execution\n"
      "falsepositives:\n"
      "  - Admins\n"
      "fields: [CommandLine, User]\n"
      "scope: [server]\n"
      "logsource:\n"
      "  category: process_creation\n"
      "  product: windows\n"
      "  service: sysmon\n"
      "  definition: needs sysmon\n"
      "  custom_key: custom value\n"
      "detection:\n"
      "  sel:\n"
      "    Image|endswith: '\\cmd.exe'\n"
      "  condition: sel\n"
      "message: 'user {{User}} ran {{CommandLine}}'\n"
      "regression_tests_path: tests/x.yml\n"
      "simulation:\n"
      "  - type: atomic-red-team\n");
  ASSERT_EQ(r.rendered, "");
  ASSERT_EQ(r.rules.size(), 1u);
  ASSERT_TRUE(r.rules[0]);
  const sigrun::ast::Rule& rule = *r.rules[0];
  EXPECT_EQ(rule.source_file, "r.yml");
  EXPECT_EQ(rule.location.line, 1u);
  EXPECT_EQ(rule.title, "Suspicious Thing");
  EXPECT_EQ(rule.id, "5f3a1c2e-0000-4000-8000-000000000001");
  EXPECT_EQ(rule.name, "suspicious_thing");
  EXPECT_EQ(rule.taxonomy, "sigma");
  EXPECT_EQ(rule.status, "test");
  EXPECT_EQ(rule.description, "Two\nlines\n");
  EXPECT_EQ(rule.license, "DRL-1.1");
  EXPECT_EQ(rule.author, "Alice, Bob");
  EXPECT_EQ(rule.date, "2024-01-02");
  EXPECT_EQ(rule.modified, "2024-02-03");
  EXPECT_EQ(rule.level, "high");
  ASSERT_EQ(rule.related.size(), 1u);
  EXPECT_EQ(rule.related[0].id, "11111111-0000-4000-8000-000000000000");
  EXPECT_EQ(rule.related[0].type, "derived");
  EXPECT_EQ(rule.references, std::vector<std::string>{"https://example.com/a"});
  EXPECT_EQ(rule.tags, (std::vector<std::string>{"attack.t1059", "attack.execution"}));
  EXPECT_EQ(rule.falsepositives, std::vector<std::string>{"Admins"});
  EXPECT_EQ(rule.fields, (std::vector<std::string>{"CommandLine", "User"}));
  EXPECT_EQ(rule.scope, std::vector<std::string>{"server"});
  EXPECT_EQ(rule.logsource.category, "process_creation");
  EXPECT_EQ(rule.logsource.product, "windows");
  EXPECT_EQ(rule.logsource.service, "sysmon");
  EXPECT_EQ(rule.logsource.definition, "needs sysmon");
  ASSERT_EQ(rule.logsource.custom.size(), 1u);
  EXPECT_EQ(rule.logsource.custom[0].first, "custom_key");
  EXPECT_EQ(rule.logsource.custom[0].second, "custom value");
  EXPECT_EQ(rule.message, "user {{User}} ran {{CommandLine}}");
  ASSERT_EQ(rule.custom.size(), 2u);
  EXPECT_EQ(rule.custom[0].first, "regression_tests_path");
  EXPECT_EQ(rule.custom[0].second.text, "tests/x.yml");
  EXPECT_EQ(rule.custom[1].first, "simulation");
  EXPECT_EQ(rule.custom[1].second.kind, sigrun::ast::YamlValue::Kind::Sequence);
  ASSERT_EQ(rule.detection.size(), 1u);
  EXPECT_EQ(rule.detection[0].name, "sel");
  ASSERT_EQ(rule.conditions.size(), 1u);
  EXPECT_EQ(rule.conditions[0].text, "sel");
  EXPECT_EQ(rule.conditions[0].location.line, 35u);
  EXPECT_EQ(rule.conditions[0].location.column, 14u);
}

TEST(RuleReader, OptionalAttributesMayBeEmpty) {
  const Read r = read(rule_with("  sel: x\n") + "description:\nfalsepositives:\ntags: ~\n");
  ASSERT_EQ(r.rendered, "");
  ASSERT_TRUE(r.rules[0]);
  EXPECT_EQ(r.rules[0]->description, "");
  EXPECT_TRUE(r.rules[0]->tags.empty());
}

// YAML 1.1 typing as PyYAML does it: {as written, kind, text}.
const std::vector<std::tuple<std::string, Value::Kind, std::string>> kTyping = {
    {"00000429", Value::Kind::String, "00000429"},
    {"00050429", Value::Kind::String, "00050429"},
    {"4688", Value::Kind::Integer, "4688"},
    {"'4688'", Value::Kind::String, "4688"},
    {"\"4688\"", Value::Kind::String, "4688"},
    {"!!str 4688", Value::Kind::String, "4688"},
    {"0x1F", Value::Kind::Integer, "31"},
    {"0x_1f", Value::Kind::Integer, "31"},
    {"-0x10", Value::Kind::Integer, "-16"},
    {"+5", Value::Kind::Integer, "5"},
    {"-5", Value::Kind::Integer, "-5"},
    {"-0", Value::Kind::Integer, "0"},
    {"0", Value::Kind::Integer, "0"},
    {"1_000", Value::Kind::Integer, "1000"},
    {"010", Value::Kind::Integer, "8"},
    {"0_7", Value::Kind::Integer, "7"},
    {"0b1010", Value::Kind::Integer, "10"},
    {"190:20:30", Value::Kind::Integer, "685230"},
    {"1:5", Value::Kind::Integer, "65"},
    {"99999999999999999999999", Value::Kind::Integer, "99999999999999999999999"},
    {"0o10", Value::Kind::String, "0o10"},
    {"0x", Value::Kind::String, "0x"},
    {"0b_", Value::Kind::String, "0b_"},
    {"1:60", Value::Kind::String, "1:60"},
    {"08", Value::Kind::String, "08"},
    {"1.5", Value::Kind::Float, "1.5"},
    {"1.", Value::Kind::Float, "1."},
    {".5", Value::Kind::Float, ".5"},
    {"-.5", Value::Kind::String, "-.5"},
    {"1e5", Value::Kind::String, "1e5"},
    {"1.0e+5", Value::Kind::Float, "1.0e+5"},
    {"1.0e5", Value::Kind::String, "1.0e5"},
    {"1_0.2_5", Value::Kind::Float, "1_0.2_5"},
    {".inf", Value::Kind::Float, ".inf"},
    {"-.Inf", Value::Kind::Float, "-.Inf"},
    {".NaN", Value::Kind::Float, ".NaN"},
    {"-.nan", Value::Kind::String, "-.nan"},
    {"190:20:30.15", Value::Kind::Float, "190:20:30.15"},
    {"yes", Value::Kind::Boolean, "true"},
    {"No", Value::Kind::Boolean, "false"},
    {"ON", Value::Kind::Boolean, "true"},
    {"off", Value::Kind::Boolean, "false"},
    {"True", Value::Kind::Boolean, "true"},
    {"FALSE", Value::Kind::Boolean, "false"},
    {"yES", Value::Kind::String, "yES"},
    {"y", Value::Kind::String, "y"},
    {"'true'", Value::Kind::String, "true"},
    {"~", Value::Kind::Null, "~"},
    {"null", Value::Kind::Null, "null"},
    {"Null", Value::Kind::Null, "Null"},
    {"NULL", Value::Kind::Null, "NULL"},
    {"nULL", Value::Kind::String, "nULL"},
    {"", Value::Kind::Null, ""},
    {"'null'", Value::Kind::String, "null"},
    {"''", Value::Kind::String, ""},
    {"2024-01-02", Value::Kind::String, "2024-01-02"},
    {"C:\\Windows\\*", Value::Kind::String, "C:\\Windows\\*"},
    {"\"a\\tb\"", Value::Kind::String, "a\tb"},
};

TEST(RuleReader, PlainValuesAreTypedLikePyYaml) {
  std::string detection = "  sel:\n";
  for (size_t i = 0; i < kTyping.size(); ++i) {
    detection += "    f" + std::to_string(i) + ": " + std::get<0>(kTyping[i]) + "\n";
  }
  const Read r = read(rule_with(detection));
  ASSERT_EQ(r.rendered, "");
  ASSERT_TRUE(r.rules[0]);
  const auto& items = r.rules[0]->detection[0].selections[0].items;
  ASSERT_EQ(items.size(), kTyping.size());
  for (size_t i = 0; i < kTyping.size(); ++i) {
    const auto& [written, kind, text] = kTyping[i];
    ASSERT_EQ(items[i].values.size(), 1u) << written;
    EXPECT_EQ(items[i].values[0].kind, kind) << written;
    EXPECT_EQ(items[i].values[0].text, text) << written;
    EXPECT_EQ(items[i].values[0].location.line, 6u + i) << written;
  }
}

TEST(RuleReader, DetectionShapes) {
  const Read r =
      read(rule_with("  map:\n"
                     "    Image|endswith|windash: x.exe\n"
                     "    CommandLine|contains|all:\n"
                     "      - a\n"
                     "      - 5\n"
                     "      -\n"
                     "    '|all':\n"
                     "      - k1\n"
                     "    Empty: []\n"
                     "  maps:\n"
                     "    - A: 1\n"
                     "    - B: 2\n"
                     "      C: 3\n"
                     "  keywords:\n"
                     "    - 'evil'\n"
                     "    - 42\n"
                     "  keyword: single\n",
                     "map or maps or keywords or keyword"));
  ASSERT_EQ(r.rendered, "");
  ASSERT_TRUE(r.rules[0]);
  const auto& detection = r.rules[0]->detection;
  ASSERT_EQ(detection.size(), 4u);

  const auto& map = detection[0];
  EXPECT_EQ(map.name, "map");
  EXPECT_EQ(map.location.line, 5u);
  EXPECT_TRUE(map.keywords.empty());
  ASSERT_EQ(map.selections.size(), 1u);
  const auto& items = map.selections[0].items;
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].field, "Image");
  ASSERT_EQ(items[0].modifiers.size(), 2u);
  EXPECT_EQ(items[0].modifiers[0].name, "endswith");
  EXPECT_EQ(items[0].modifiers[1].name, "windash");
  EXPECT_EQ(items[0].modifiers[1].location.line, 6u);
  EXPECT_EQ(items[0].modifiers[1].location.column, 5u);
  EXPECT_FALSE(items[0].value_is_list);
  EXPECT_EQ(items[0].values[0].text, "x.exe");
  EXPECT_EQ(items[0].location.line, 6u);
  EXPECT_EQ(items[1].field, "CommandLine");
  EXPECT_TRUE(items[1].value_is_list);
  ASSERT_EQ(items[1].values.size(), 3u);
  EXPECT_EQ(items[1].values[1].kind, Value::Kind::Integer);
  EXPECT_EQ(items[1].values[2].kind, Value::Kind::Null);
  EXPECT_EQ(items[2].field, "");  // a keyword item with modifiers
  EXPECT_EQ(items[2].modifiers[0].name, "all");
  EXPECT_EQ(items[3].field, "Empty");
  EXPECT_TRUE(items[3].value_is_list);
  EXPECT_TRUE(items[3].values.empty());

  const auto& maps = detection[1];
  ASSERT_EQ(maps.selections.size(), 2u);
  EXPECT_EQ(maps.selections[0].items[0].field, "A");
  EXPECT_EQ(maps.selections[1].items.size(), 2u);
  EXPECT_EQ(maps.selections[1].location.line, 16u);

  const auto& keywords = detection[2];
  EXPECT_TRUE(keywords.selections.empty());
  ASSERT_EQ(keywords.keywords.size(), 2u);
  EXPECT_EQ(keywords.keywords[0].kind, Value::Kind::String);
  EXPECT_EQ(keywords.keywords[1].kind, Value::Kind::Integer);

  ASSERT_EQ(detection[3].keywords.size(), 1u);
  EXPECT_EQ(detection[3].keywords[0].text, "single");
}

TEST(RuleReader, MalformedDetections) {
  const Read r =
      read(rule_with("  mixed:\n"
                     "    - a: 1\n"
                     "    - plain\n"
                     "  nested:\n"
                     "    f:\n"
                     "      g: 1\n"
                     "  nested_list:\n"
                     "    f:\n"
                     "      - [1]\n"
                     "  list_in_list:\n"
                     "    - [x]\n"
                     "  nothing:\n"
                     "  empty_map: {}\n"
                     "  empty_list: []\n",
                     "1 of them"));
  EXPECT_EQ(
      r.rendered,
      "r.yml:7:7: error: the list of 'mixed' mixes maps and plain values, which is not supported; split it "
      "into two search identifiers [detection-shape]\n"
      "    - plain\n"
      "      ^\n"
      "r.yml:10:7: error: expected a value or a list of values for field 'f', found a map "
      "[detection-value-type]\n"
      "      g: 1\n"
      "      ^\n"
      "r.yml:13:9: error: expected a value in the list of field 'f', found a list [detection-value-type]\n"
      "      - [1]\n"
      "        ^\n"
      "r.yml:15:7: error: expected a map or a value in the list of 'list_in_list', found a list "
      "[detection-shape]\n"
      "    - [x]\n"
      "      ^\n"
      "r.yml:16:3: error: expected a map, a list or a value for search identifier 'nothing', found null "
      "[detection-shape]\n"
      "  nothing:\n"
      "  ^\n"
      "r.yml:17:14: error: search identifier 'empty_map' has an empty map [detection-shape]\n"
      "  empty_map: {}\n"
      "             ^\n"
      "r.yml:18:15: error: search identifier 'empty_list' is an empty list [detection-shape]\n"
      "  empty_list: []\n"
      "              ^\n");
  EXPECT_FALSE(r.rules[0]);
}

TEST(RuleReader, MissingRequiredAttributes) {
  Read r = read("author: x\n");
  EXPECT_EQ(r.rendered,
            "r.yml:1:1: error: missing required attribute 'title' [rule-missing-attribute]\n"
            "author: x\n"
            "^\n"
            "r.yml:1:1: error: missing required attribute 'logsource' [rule-missing-attribute]\n"
            "author: x\n"
            "^\n"
            "r.yml:1:1: error: missing required attribute 'detection' [rule-missing-attribute]\n"
            "author: x\n"
            "^\n");
  EXPECT_FALSE(r.rules[0]);

  r = read(
      "title: t\n"
      "logsource: {product: windows}\n"
      "detection:\n"
      "  sel: x\n");
  EXPECT_EQ(
      r.rendered,
      "r.yml:3:1: error: missing required attribute 'condition' in 'detection' [rule-missing-attribute]\n"
      "detection:\n"
      "^\n");
  EXPECT_FALSE(r.rules[0]);
}

TEST(RuleReader, AttributeTypes) {
  const Read r = read(
      "title: [a]\n"
      "tags: attack.t1\n"
      "references:\n"
      "  - {a: 1}\n"
      "level: {x: 1}\n"
      "related: x\n"
      "logsource: windows\n"
      "detection: [sel]\n");
  EXPECT_EQ(
      r.rendered,
      "r.yml:1:8: error: expected a string for 'title', found a list [rule-attribute-type]\n"
      "title: [a]\n"
      "       ^\n"
      "r.yml:2:7: error: expected a list of strings for 'tags', found a string [rule-attribute-type]\n"
      "tags: attack.t1\n"
      "      ^\n"
      "r.yml:4:5: error: expected a string in the list 'references', found a map [rule-attribute-type]\n"
      "  - {a: 1}\n"
      "    ^\n"
      "r.yml:5:8: error: expected a string for 'level', found a map [rule-attribute-type]\n"
      "level: {x: 1}\n"
      "       ^\n"
      "r.yml:6:10: error: expected a list of {id, type} maps for 'related', found a string "
      "[rule-attribute-type]\n"
      "related: x\n"
      "         ^\n"
      "r.yml:7:12: error: expected a map for 'logsource', found a string [rule-attribute-type]\n"
      "logsource: windows\n"
      "           ^\n"
      "r.yml:8:12: error: expected a map for 'detection', found a list [rule-attribute-type]\n"
      "detection: [sel]\n"
      "           ^\n");
  EXPECT_FALSE(r.rules[0]);
}

TEST(RuleReader, NullTitleIsAnError) {
  const Read r = read("title:\nlogsource: {}\ndetection: {sel: x, condition: sel}\n");
  EXPECT_EQ(r.rendered,
            "r.yml:1:1: error: expected a string for 'title', found null [rule-attribute-type]\n"
            "title:\n"
            "^\n");
}

TEST(RuleReader, EnumeratedValuesAndRelatedEntries) {
  const Read r = read(rule_with("  sel: x\n") +
                      "level: hgih\n"
                      "status: Stable\n"
                      "related:\n"
                      "  - id: x\n"
                      "    type: copied\n"
                      "  - type: similar\n");
  EXPECT_EQ(
      r.rendered,
      "r.yml:11:11: error: expected 'derived', 'obsolete', 'merged', 'renamed', 'similar' or 'correlation' "
      "for 'related.type', found 'copied' [rule-attribute-value]\n"
      "    type: copied\n"
      "          ^\n"
      "r.yml:12:5: error: missing attribute 'id' in 'related' [rule-missing-attribute]\n"
      "  - type: similar\n"
      "    ^\n"
      "r.yml:7:8: error: expected 'informational', 'low', 'medium', 'high' or 'critical' for 'level', found "
      "'hgih' [rule-attribute-value]\n"
      "level: hgih\n"
      "       ^\n");
}

// "line:col" of the first identifier node named `name` in a condition tree; "" when there is none.
std::string location_of(const sigrun::ast::ConditionNode& node, const std::string& name) {
  if (node.kind == sigrun::ast::ConditionNode::Kind::Identifier && node.text == name) {
    return std::to_string(node.location.line) + ":" + std::to_string(node.location.column);
  }
  for (const auto& child : node.children) {
    if (std::string found = location_of(child, name); !found.empty())
      return found;
  }
  return "";
}

TEST(RuleReader, ConditionsAreParsedWithTheirFilePositions) {
  // A quoted condition starts one column after its quote.
  Read r = read(rule_with("  sel: x\n", "'sel and'"));
  EXPECT_EQ(r.rendered,
            "r.yml:6:22: error: expected identifier, '(' or 'not' after 'and', found end of condition "
            "[condition-syntax]\n"
            "  condition: 'sel and'\n"
            "                     ^\n");
  EXPECT_FALSE(r.rules[0]);

  r = read(rule_with("  sel: x\n  filter: y\n", "\"sel or  filter\""));
  ASSERT_TRUE(r.rules[0]) << r.rendered;
  EXPECT_EQ(location_of(r.rules[0]->conditions[0].root, "filter"), "7:23");

  r = read(rule_with("  sel: x\n  filter: y\n", "sel and not filter"));
  ASSERT_TRUE(r.rules[0]) << r.rendered;
  EXPECT_EQ(location_of(r.rules[0]->conditions[0].root, "filter"), "7:26");

  // A condition over several lines, as one rule of the SigmaHQ corpus writes it.
  r = read(rule_with("  sel: x\n  filter: y\n  nope: z\n", "(sel and not filter)\n    or (sel and nope)"));
  ASSERT_TRUE(r.rules[0]) << r.rendered;
  EXPECT_EQ(location_of(r.rules[0]->conditions[0].root, "nope"), "9:17");
}

TEST(RuleReader, ConditionListsAreKeptInOrder) {
  const Read r = read(rule_with("  sel: x\n  other: y\n", "\n    - sel\n    - 'not other'"));
  ASSERT_EQ(r.rendered, "");
  ASSERT_TRUE(r.rules[0]);
  const auto& conditions = r.rules[0]->conditions;
  ASSERT_EQ(conditions.size(), 2u);
  EXPECT_EQ(sigrun::ast::dump(conditions[0].root), "sel");
  EXPECT_EQ(sigrun::ast::dump(conditions[1].root), "(not other)");
  EXPECT_EQ(conditions[1].location.line, 9u);
  EXPECT_EQ(conditions[1].root.location.column, 8u);
  EXPECT_EQ(conditions[1].root.children[0].location.column, 12u);
}

TEST(RuleReader, ConditionTypeErrors) {
  Read r = read(rule_with("  sel: x\n", "{a: b}"));
  EXPECT_EQ(r.rendered,
            "r.yml:6:14: error: expected a condition string or a list of condition strings for 'condition', "
            "found a map [rule-attribute-type]\n"
            "  condition: {a: b}\n"
            "             ^\n");
  r = read(rule_with("  sel: x\n", "[]"));
  EXPECT_EQ(r.rendered,
            "r.yml:6:14: error: expected a condition string or a list of condition strings for 'condition', "
            "found an empty list [rule-attribute-type]\n"
            "  condition: []\n"
            "             ^\n");
  r = read(rule_with("  sel: x\n", "[sel, [x]]"));
  EXPECT_EQ(r.rendered,
            "r.yml:6:20: error: expected a condition string in the list 'condition', found a list "
            "[rule-attribute-type]\n"
            "  condition: [sel, [x]]\n"
            "                   ^\n");
  r = read(rule_with("  sel: x\n", "sel | count() > 5"));
  EXPECT_EQ(
      r.rendered,
      "r.yml:6:18: error: the pipe syntax of Sigma v1 (aggregations like count() and near) is not supported "
      "in conditions; use a correlation rule [condition-pipe]\n"
      "  condition: sel | count() > 5\n"
      "                 ^\n");
}

TEST(RuleReader, QuantifierPatternsAreNotResolvedHere) {
  const Read r = read(rule_with("  sel: x\n", "1 of nothing* and all of them"));
  EXPECT_EQ(r.rendered, "");
  EXPECT_TRUE(r.rules[0]);
}

TEST(RuleReader, OtherDocumentKindsAreRejected) {
  const Read r = read(
      "title: c\n"
      "correlation:\n"
      "  type: event_count\n"
      "---\n"
      "- a\n"
      "---\n"
      "action: global\n");
  EXPECT_EQ(r.rendered,
            "r.yml:2:1: error: correlation rules are not supported [rule-unsupported-document]\n"
            "correlation:\n"
            "^\n"
            "r.yml:5:1: error: expected a map of rule attributes, found a list [rule-document-type]\n"
            "- a\n"
            "^\n"
            "r.yml:7:1: error: collection actions of Sigma v1 ('action: global', ...) are not supported "
            "[rule-unsupported-document]\n"
            "action: global\n"
            "^\n");
}

class RuleFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sigrun_frontend_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(RuleFileTest, ReadsEveryDocumentAndReturnsOnlyCleanRules) {
  const std::string path =
      write("multi.yml",
            "title: one\nlogsource: {product: a}\ndetection: {sel: x, condition: sel}\n"
            "---\n"
            "title: two\ntitle: again\nlogsource: {product: a}\ndetection: {sel: x, condition: sel}\n"
            "---\n"
            "title: three\nlogsource: {product: a}\ndetection: {sel: x, condition: sel}\n");
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const auto rules = sigrun::frontend::read_rule_file(path, sources, diags);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].title, "one");
  EXPECT_EQ(rules[1].title, "three");
  EXPECT_EQ(rules[1].source_file, path);
  EXPECT_EQ(rules[1].location.line, 10u);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(sigrun::diag::render(diags.all()[0], sources),
            path + ":6:1: error: duplicate key 'title', first defined at line 5 [yaml-duplicate-key]\n" +
                "title: again\n" + "^\n");
}

TEST_F(RuleFileTest, ByteOrderMarkIsDropped) {
  const std::string path = write("bom.yml",
                                 "\xEF\xBB\xBF"
                                 "title: [x]\n");
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  EXPECT_TRUE(sigrun::frontend::read_rule_file(path, sources, diags).empty());
  ASSERT_GE(diags.all().size(), 1u);
  EXPECT_EQ(sigrun::diag::render(diags.all()[0], sources),
            path + ":1:8: error: expected a string for 'title', found a list [rule-attribute-type]\n" +
                "title: [x]\n" + "       ^\n");
}

TEST_F(RuleFileTest, UnreadableFiles) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const std::string missing = (dir_ / "missing.yml").string();
  EXPECT_TRUE(sigrun::frontend::read_rule_file(missing, sources, diags).empty());
  EXPECT_TRUE(sigrun::frontend::read_rule_file(dir_.string(), sources, diags).empty());
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_EQ(sigrun::diag::render(diags.all()[0], sources),
            missing + ": error: cannot read the file: no such file or directory [file-unreadable]\n");
  EXPECT_EQ(sigrun::diag::render(diags.all()[1], sources),
            dir_.string() + ": error: cannot read the file: is a directory [file-unreadable]\n");
}

}  // namespace
