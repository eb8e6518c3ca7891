// compile_for_authoring: the `tests` attribute read into RuleTests (YAML maps converted to JSON), and the
// explanation structure mapped onto program nodes that compute what the condition's parts compute.
#include "sigrun/compiler/authoring.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "interp/interpreter.h"
#include "sigrun/compiler/compiler.h"
#include "sigrun/event_trace.h"

namespace {

using sigrun::compiler::AuthoringCompilation;
using sigrun::compiler::ExplainNode;

AuthoringCompilation compile(const std::string& text, sigrun::diag::DiagnosticEngine& diags) {
  sigrun::diag::SourceManager sources;
  return sigrun::compiler::compile_text_for_authoring("rule.yml", text, sources, diags);
}

std::string rendered(const std::string& text) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  (void)sigrun::compiler::compile_text_for_authoring("rule.yml", text, sources, diags);
  std::string out;
  for (const auto& d : diags.all())
    out += sigrun::diag::render(d, sources);
  return out;
}

const char* const kRule = R"(title: Tested
id: tested-1
logsource: {product: test}
detection:
    selection:
        eventName: Invite
    condition: selection
tests:
    match:
        - eventName: Invite
          count: 3
          ratio: -1.5e3
          ok: true
          nothing: ~
          text: 'yes'
          plain: yes
          list: [1, "two", {k: v}]
          quote: 'say "hi"\'
        - '{"eventName": "INVITE"}'
    no_match:
        - {"eventName": "Other"}
)";

TEST(RuleTests, ReadsBothListsInOrderWithLinesAndJsonText) {
  sigrun::diag::DiagnosticEngine diags;
  const AuthoringCompilation c = compile(kRule, diags);
  ASSERT_EQ(diags.error_count(), 0u);
  ASSERT_EQ(c.rules.size(), 1u);
  ASSERT_TRUE(c.rules[0].has_tests);
  const auto& tests = c.rules[0].tests;
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_TRUE(tests[0].expect_match);
  EXPECT_EQ(tests[0].index, 1u);
  EXPECT_EQ(tests[0].line, 10u);
  // Plain scalars: JSON's null, booleans and numbers; `yes` stays a string (no YAML 1.1 booleans).
  EXPECT_EQ(
      tests[0].event,
      "{\"eventName\":\"Invite\",\"count\":3,\"ratio\":-1.5e3,\"ok\":true,\"nothing\":null,\"text\":\"yes\","
      "\"plain\":\"yes\",\"list\":[1,\"two\",{\"k\":\"v\"}],\"quote\":\"say \\\"hi\\\"\\\\\"}");
  EXPECT_TRUE(tests[1].expect_match);
  EXPECT_EQ(tests[1].index, 2u);
  EXPECT_EQ(tests[1].event, "{\"eventName\": \"INVITE\"}");  // a string is the event's JSON as written
  EXPECT_FALSE(tests[2].expect_match);
  EXPECT_EQ(tests[2].index, 1u);
  EXPECT_EQ(tests[2].line, 21u);
  EXPECT_EQ(tests[2].event, "{\"eventName\":\"Other\"}");
}

TEST(RuleTests, ARuleWithoutTheAttributeHasNone) {
  sigrun::diag::DiagnosticEngine diags;
  const AuthoringCompilation c =
      compile("title: t\nlogsource: {product: test}\ndetection:\n  s:\n    a: 1\n  condition: s\n", diags);
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_FALSE(c.rules[0].has_tests);
  EXPECT_TRUE(c.rules[0].tests.empty());
}

TEST(RuleTests, MalformedTestsAreErrorsAndLeaveTheRuleOut) {
  const std::string head =
      "title: t\nlogsource: {product: test}\ndetection:\n  s:\n    a: 1\n  condition: s\n";
  EXPECT_EQ(rendered(head + "tests: []\n"),
            "rule.yml:7:8: error: expected a map with 'match' and/or 'no_match' lists of events for 'tests', "
            "found a list [rule-tests-shape]\ntests: []\n       ^\n");
  EXPECT_EQ(rendered(head + "tests:\n  match: []\n"),
            "rule.yml:8:3: error: 'tests' has no events; expected events under 'match' or 'no_match' "
            "[rule-tests-shape]\n  match: []\n  ^\n");
  EXPECT_EQ(rendered(head + "tests:\n  matches:\n    - {a: 1}\n"),
            "rule.yml:8:3: error: unknown key 'matches' in 'tests'; expected 'match' or 'no_match' "
            "[rule-tests-shape]\n  matches:\n  ^\n");
  EXPECT_EQ(
      rendered(head + "tests:\n  no_match:\n    - [1]\n    - 'a: 1'\n    - ~\n"),
      "rule.yml:9:7: error: expected an event in 'no_match': a map, or a string holding a JSON object; "
      "found a list [rule-tests-shape]\n    - [1]\n      ^\n"
      "rule.yml:10:7: error: expected an event in 'no_match': a map, or a string holding a JSON object; "
      "found a string that is not a JSON object [rule-tests-shape]\n    - 'a: 1'\n      ^\n"
      "rule.yml:11:7: error: expected an event in 'no_match': a map, or a string holding a JSON object; "
      "found null [rule-tests-shape]\n    - ~\n      ^\n");

  sigrun::diag::DiagnosticEngine diags;
  const AuthoringCompilation c = compile(head + "tests: []\n", diags);
  EXPECT_TRUE(c.compilation.program.rules.empty());
  ASSERT_EQ(c.failed.size(), 1u);
  EXPECT_EQ(c.failed[0].title, "t");
  EXPECT_EQ(c.compilation.files_failed, 1u);
}

const char* const kExplained = R"(title: Explained
logsource: {product: test}
detection:
    sel_a:
        a: 1
        b|contains:
            - x
            - y
    sel_b:
        - c: 2
        - d: 3
    words:
        - evil
    filter:
        e: 4
    condition: (1 of sel_* and not filter) or words
)";

TEST(Explanation, FollowsTheConditionAsWritten) {
  sigrun::diag::DiagnosticEngine diags;
  const AuthoringCompilation c = compile(kExplained, diags);
  ASSERT_EQ(diags.error_count(), 0u);
  ASSERT_EQ(c.rules.size(), 1u);
  const auto& e = c.rules[0].explanation;
  ASSERT_EQ(e.condition_texts, std::vector<std::string>{"(1 of sel_* and not filter) or words"});
  ASSERT_EQ(e.conditions.size(), 1u);
  const ExplainNode& top = e.conditions[0];
  EXPECT_EQ(top.kind, ExplainNode::Kind::Or);
  ASSERT_EQ(top.children.size(), 2u);
  const ExplainNode& conj = top.children[0];
  EXPECT_EQ(conj.kind, ExplainNode::Kind::And);
  ASSERT_EQ(conj.children.size(), 2u);
  const ExplainNode& one_of = conj.children[0];
  EXPECT_EQ(one_of.kind, ExplainNode::Kind::OneOf);
  EXPECT_EQ(one_of.text, "sel_*");
  ASSERT_EQ(one_of.children.size(), 2u);
  const ExplainNode& sel_a = one_of.children[0];
  EXPECT_EQ(sel_a.kind, ExplainNode::Kind::Identifier);
  EXPECT_EQ(sel_a.text, "sel_a");
  EXPECT_EQ(sel_a.line, 4u);
  ASSERT_EQ(sel_a.children.size(), 1u);
  EXPECT_EQ(sel_a.children[0].kind, ExplainNode::Kind::Selection);
  ASSERT_EQ(sel_a.children[0].children.size(), 2u);
  EXPECT_EQ(sel_a.children[0].children[1].kind, ExplainNode::Kind::Item);
  EXPECT_EQ(sel_a.children[0].children[1].text, "b|contains");
  EXPECT_EQ(sel_a.children[0].children[1].line, 6u);
  EXPECT_EQ(one_of.children[1].text, "sel_b");
  EXPECT_EQ(one_of.children[1].children.size(), 2u);  // a list of two maps
  EXPECT_EQ(conj.children[1].kind, ExplainNode::Kind::Not);
  EXPECT_EQ(conj.children[1].children.at(0).text, "filter");
  const ExplainNode& words = top.children[1];
  EXPECT_EQ(words.text, "words");
  ASSERT_EQ(words.children.size(), 1u);
  EXPECT_EQ(words.children[0].kind, ExplainNode::Kind::Keywords);
  // The top node of the condition is the rule's root: the rule has no log-source conditions here.
  EXPECT_EQ(top.node, c.compilation.program.rules[0].root);
}

// Each part's program node must compute what the part means, on events that tell the parts apart.
TEST(Explanation, NodesComputeTheirParts) {
  sigrun::diag::DiagnosticEngine diags;
  AuthoringCompilation c = compile(kExplained, diags);
  ASSERT_EQ(diags.error_count(), 0u);
  const ExplainNode top = c.rules[0].explanation.conditions[0];
  auto engine = sigrun::compiler::make_engine(c.compilation.program, sigrun::compiler::Backend::Interpreter);
  ASSERT_TRUE(engine) << engine.error().message;
  sigrun::EventTrace trace(engine.value());
  const ExplainNode& sel_a = top.children[0].children[0].children[0];
  const ExplainNode& sel_b = top.children[0].children[0].children[1];
  const ExplainNode& filter = top.children[0].children[1].children[0];
  const ExplainNode& words = top.children[1];

  ASSERT_TRUE(trace.load(R"({"a":1,"b":"xx","e":4})"));
  EXPECT_TRUE(trace.node(sel_a.node));
  EXPECT_TRUE(trace.node(sel_a.children[0].children[0].node));
  EXPECT_FALSE(trace.node(sel_b.node));
  EXPECT_TRUE(trace.node(filter.node));
  EXPECT_FALSE(trace.node(words.node));
  EXPECT_FALSE(trace.node(top.node));
  EXPECT_FALSE(trace.reference_matches(0));

  ASSERT_TRUE(trace.load(R"({"a":2,"b":"y","d":3,"note":"an evil thing"})"));
  EXPECT_FALSE(trace.node(sel_a.node));
  EXPECT_FALSE(trace.node(sel_a.children[0].children[0].node));  // a: 1
  EXPECT_TRUE(trace.node(sel_a.children[0].children[1].node));   // b|contains
  EXPECT_TRUE(trace.node(sel_b.node));
  EXPECT_FALSE(trace.node(sel_b.children[0].node));  // c: 2
  EXPECT_TRUE(trace.node(sel_b.children[1].node));   // d: 3
  EXPECT_TRUE(trace.node(words.node));
  EXPECT_TRUE(trace.node(top.node));
  EXPECT_TRUE(trace.reference_matches(0));
}

// The program compile_for_authoring makes runs each rule as compile_rules' program does (the explanation's
// extra nodes are reachable from no rule): the same rule roots, the same results on every sample event.
TEST(Explanation, TheProgramRunsRulesAsCompileRulesDoes) {
  const std::string path = std::string(SIGRUN_SOURCE_DIR) + "/rules/cloud/aws/aws_org_invite_account.yml";
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const AuthoringCompilation authoring = sigrun::compiler::compile_for_authoring({path}, sources, diags);
  const sigrun::compiler::Compilation plain = sigrun::compiler::compile_rules({path}, sources, diags);
  ASSERT_EQ(diags.error_count(), 0u);
  ASSERT_EQ(authoring.compilation.program.rules.size(), 1u);
  ASSERT_EQ(plain.program.rules.size(), 1u);
  EXPECT_EQ(authoring.compilation.program.rules[0].root, plain.program.rules[0].root);

  auto a =
      sigrun::compiler::make_engine(authoring.compilation.program, sigrun::compiler::Backend::Interpreter);
  auto b = sigrun::compiler::make_engine(plain.program, sigrun::compiler::Backend::Interpreter);
  ASSERT_TRUE(a && b);
  sigrun::EventTrace ta(a.value());
  sigrun::EventTrace tb(b.value());
  std::ifstream events(std::string(SIGRUN_SOURCE_DIR) + "/examples/cloudtrail/organizations.ndjson");
  size_t matches = 0;
  for (std::string line; std::getline(events, line);) {
    ASSERT_TRUE(ta.load(line) && tb.load(line));
    EXPECT_EQ(ta.reference_matches(0), tb.reference_matches(0)) << line;
    matches += ta.reference_matches(0) ? 1 : 0;
  }
  EXPECT_EQ(matches, 3u);
}

}  // namespace
