// The rule authoring commands end to end: `sigrun test` passing (our rules) and failing (a deliberately
// broken rule), its JUnit report; `sigrun explain` against its golden output under both engines, for a rule
// that did not match, and its errors; `sigrun check --format json` and `--strict`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sigrun/compiler/compiler.h"
#include "support/process.h"

namespace {

namespace fs = std::filesystem;

using sigrun::testing::CliRun;
using sigrun::testing::read_file;

fs::path temp_dir() {
  static const fs::path dir = sigrun::testing::scratch_dir("sigrun_authoring_cli_test");
  return dir;
}

// Runs `sigrun ARGS` from the source directory, capturing stdout and stderr.
CliRun sigrun(const std::string& args, const std::string& stdin_text = "") {
  return sigrun::testing::run_sigrun(args, stdin_text, temp_dir());
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path path = temp_dir() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

TEST(TestCommand, EveryShippedRuleHasPassingTests) {
  const CliRun run = sigrun("test rules/");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(
      run.out.find("PASS  Invitation sent to account to join AWS organization  [3 match, 11 no_match]\n"),
      std::string::npos)
      << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("(^|\n)[1-9][0-9]* passed, 0 failed\n$"))) << run.out;
  EXPECT_EQ(run.out.find("FAIL"), std::string::npos) << run.out;
}

const char* const kFailing = R"(title: Deliberately failing
id: 11111111-2222-4333-8444-555555555555
logsource: {product: test}
detection:
    selection:
        eventName|startswith: Invite
    condition: selection
tests:
    match:
        - eventName: InviteAccountToOrganization
        - {"eventName": "AcceptHandshake"}
    no_match:
        - '{"eventName": "inviteAnother"}'
        - eventName: ListAccounts
        - '{"eventName": '
)";

const char* const kPassing = R"(title: Passing
logsource: {product: test}
detection:
    selection:
        eventName: ListAccounts
    condition: selection
tests:
    match:
        - eventName: listaccounts
---
title: Untested
logsource: {product: test}
detection:
    selection:
        eventName: ListAccounts
    condition: selection
)";

TEST(TestCommand, AFailingRuleNamesEachFailingEventAndWhatEachBackendSaid) {
  const fs::path failing = write("failing.yml", kFailing);
  const CliRun run = sigrun("test " + quoted(failing));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string jit = sigrun::compiler::jit_available() ? ", jit: match" : "";
  const std::string jit_no = sigrun::compiler::jit_available() ? ", jit: no match" : "";
  const std::string expected =
      "FAIL  Deliberately failing  [1/2 match, 1/3 no_match passed]\n"
      "      match 2 (" +
      failing.string() + ":11): expected a match; interp: no match" + jit_no +
      "\n"
      "      no_match 1 (" +
      failing.string() + ":13): expected no match; interp: match" + jit +
      "\n"
      "      no_match 3 (" +
      failing.string() + ":15): the event cannot be read: malformed JSON";
  EXPECT_EQ(run.out.substr(0, expected.size()), expected) << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\n0 passed, 1 failed\n$"))) << run.out;
}

TEST(TestCommand, CountsPassingFailingAndUntestedRulesAndWritesJUnit) {
  const fs::path dir = temp_dir() / "mixed";
  fs::create_directories(dir);
  std::ofstream(dir / "a_failing.yml") << kFailing;
  std::ofstream(dir / "b_passing.yml") << kPassing;
  std::ofstream(dir / "c_broken.yml") << "title: Broken\nlogsource: {product: test}\ndetection:\n  s:\n"
                                         "    f|contain: x\n  condition: s\n";
  const fs::path junit = temp_dir() / "junit.xml";
  const CliRun run = sigrun("test --junit " + quoted(junit) + " " + quoted(dir));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("PASS  Passing  [1 match, 0 no_match]\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("FAIL  Untested  [no tests: add a 'tests' attribute (docs/authoring.md)]\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("FAIL  Broken  [does not compile]\n"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("[modifier-unknown]"), std::string::npos) << run.err;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\n1 passed, 3 failed\n$"))) << run.out;

  const std::string xml = read_file(junit);
  EXPECT_EQ(
      xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sigrun test\" tests=\"8\" "
                "failures=\"5\" errors=\"0\">\n",
                0),
      0u)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"Deliberately failing\" id=\"11111111-2222-4333-8444-555555555555\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"match 2 (line 11)\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"expected a match; interp: no match"), std::string::npos) << xml;
  EXPECT_NE(
      xml.find("<testcase classname=\"" + (dir / "b_passing.yml").string() +
               "\" name=\"match 1 (line 9)\" file=\"" + (dir / "b_passing.yml").string() + "\" line=\"9\"/>"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("</testsuites>\n"), std::string::npos) << xml;

  const CliRun allowed = sigrun("test --allow-untested " + quoted(dir / "b_passing.yml"));
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out;
  EXPECT_NE(allowed.out.find("SKIP  Untested"), std::string::npos) << allowed.out;
  EXPECT_TRUE(std::regex_search(allowed.out, std::regex("\n1 passed, 0 failed\n$"))) << allowed.out;
}

TEST(TestCommand, MalformedTestsAreDiagnostics) {
  const fs::path typo = write("typo.yml",
                              "title: Typo\nlogsource: {product: test}\ndetection:\n  s:\n    a: 1\n"
                              "  condition: s\ntests:\n  matches:\n    - {a: 1}\n");
  const CliRun run = sigrun("test " + quoted(typo));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, typo.string() +
                         ":8:3: error: unknown key 'matches' in 'tests'; expected 'match' or 'no_match' "
                         "[rule-tests-shape]\n  matches:\n  ^\n");
  EXPECT_EQ(run.out, "FAIL  Typo  [does not compile]\n0 passed, 1 failed\n");
}

TEST(TestCommand, ReadsThePlaceholdersFile) {
  const fs::path rule =
      write("expanded.yml",
            "title: Expanded\nlogsource: {product: test}\ndetection:\n  s:\n    User|expand: "
            "'%admins%'\n  condition: s\ntests:\n  match:\n    - {User: ROOT}\n  no_match:\n"
            "    - {User: guest}\n");
  const fs::path values = write("placeholders.yml", "admins: [root, administrator]\n");
  const CliRun without = sigrun("test " + quoted(rule));
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.err.find("[placeholder-unresolved]"), std::string::npos) << without.err;
  const CliRun with = sigrun("test --placeholders " + quoted(values) + " " + quoted(rule));
  EXPECT_EQ(with.exit_code, 0) << with.err;
  EXPECT_EQ(with.out, "PASS  Expanded  [1 match, 1 no_match]\n1 passed, 0 failed\n");
  const CliRun explained = sigrun(
      "explain --placeholders " + quoted(values) + " --rules " + quoted(rule) + " -", "{\"User\":\"Root\"}");
  EXPECT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_NE(explained.out.find("User equals \"root\"            event: \"Root\"\n"), std::string::npos)
      << explained.out;
}

const char* const kReference = "rules/cloud/aws/aws_org_invite_account.yml";

class ExplainGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ExplainGolden, ReferenceRuleOnTheAccountIdInvite) {
  if (GetParam() == "jit" && !sigrun::compiler::jit_available())
    GTEST_SKIP() << "this build has no JIT";
  const CliRun run = sigrun("explain --engine " + GetParam() + " --rules " + kReference +
                            " tests/golden/explain/invite_by_account_id.json");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const fs::path golden = fs::path(SIGRUN_SOURCE_DIR) / "tests/golden/explain" /
                          ("aws_org_invite_account." + GetParam() + ".txt");
  EXPECT_EQ(run.out, read_file(golden)) << "differs from " << golden;
}

INSTANTIATE_TEST_SUITE_P(Engines, ExplainGolden, ::testing::Values("jit", "interp"));

TEST(Explain, TheEnginesDifferOnlyInTheirName) {
  if (!sigrun::compiler::jit_available())
    GTEST_SKIP() << "this build has no JIT";
  const fs::path golden = fs::path(SIGRUN_SOURCE_DIR) / "tests/golden/explain";
  std::string jit = read_file(golden / "aws_org_invite_account.jit.txt");
  const std::string interp = read_file(golden / "aws_org_invite_account.interp.txt");
  jit = std::regex_replace(jit, std::regex("engine: jit decides"), "engine: interp decides");
  jit = std::regex_replace(jit, std::regex("\\(engine jit; the reference interpreter agrees\\)"),
                           "(engine interp)");
  EXPECT_EQ(jit, interp);
}

TEST(Explain, ARuleThatDidNotMatchOnlyWithRule) {
  const std::string args =
      std::string("explain --rules rules/ --line 13 examples/cloudtrail/organizations.ndjson");
  const CliRun unmatched = sigrun(args);
  EXPECT_EQ(unmatched.exit_code, 0) << unmatched.err;
  EXPECT_NE(unmatched.out.find("no rule matched this event"), std::string::npos) << unmatched.out;

  const CliRun chosen = sigrun(args + " --rule 4a62e8cb-0cdc-4429-8b69-ab3a5616670d");
  EXPECT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_NE(chosen.out.find("  result: no match (engine "), std::string::npos) << chosen.out;
  EXPECT_NE(chosen.out.find("    false  selection  (line 27)\n"), std::string::npos) << chosen.out;
  EXPECT_NE(
      chosen.out.find("eventSource equals \"organizations.amazonaws.com\"   event: \"iam.amazonaws.com\"\n"),
      std::string::npos)
      << chosen.out;
  EXPECT_NE(chosen.out.find("eventName equals \"inviteaccounttoorganization\"     event: \"CreatePolicy\"\n"),
            std::string::npos)
      << chosen.out;
}

TEST(Explain, MarksEveryPartOfAConditionWithTheEventsValues) {
  const fs::path rule = write("explained.yml", R"(title: Parts
logsource: {product: test}
detection:
    sel_a:
        eventName|startswith:
            - Invite
            - Accept
        errorCode: null
    sel_b:
        - readOnly: true
        - userAgent|contains|all: [aws-cli, Linux]
    filter:
        requestParameters.target.id|cased: '4444*5555?6666'
    words:
        - OrgAdmin
    condition: (1 of sel_* and not filter) or words
)");
  const CliRun run = sigrun("explain --engine interp --rules " + quoted(rule) +
                            " --line 7 examples/cloudtrail/organizations.ndjson");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string expected = R"(  condition: (1 of sel_* and not filter) or words
    true   or  (line 16)
    true     and  (line 16)
    true       1 of sel_*  (line 16)
    true         sel_a  (line 4)
    true           eventName|startswith  (line 5)
    true             any of
    true               eventName starts with "invite"                               event: "InviteAccountToOrganization"
    false              eventName starts with "accept"                               event: "InviteAccountToOrganization"
    true           errorCode  (line 8)
    true             errorCode is null or absent                                    event: absent
    true         sel_b  (line 9)
    false          map 1  (line 10)
    false            readOnly  (line 10)
    false              readOnly is true                                             event: false
    true           map 2  (line 11)
    true             userAgent|contains|all  (line 11)
    true               all of
    true                 userAgent contains "aws-cli"                               event: "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/o..."
    true                 userAgent contains "linux"                                 event: "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/o..."
    true       not  (line 16)
    false        filter  (line 12)
    false          requestParameters.target.id|cased  (line 13)
    false            requestParameters.target.id matches "4444*5555?6666" (cased)   event: "444455556666"
    true     words  (line 14)
    true       keywords  (line 15)
    true         any value contains "orgadmin"                                      event: 54 values in the event
)";
  const size_t at = run.out.find("  condition:");
  ASSERT_NE(at, std::string::npos) << run.out;
  EXPECT_EQ(run.out.substr(at), expected);
}

TEST(Explain, ReportsBadArguments) {
  const CliRun unknown = sigrun(std::string("explain --rules ") + kReference +
                                " --rule nope tests/golden/explain/invite_by_account_id.json");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "sigrun: error: --rule nope: no compiled rule has this id or title\n");

  const CliRun ndjson =
      sigrun(std::string("explain --rules ") + kReference + " examples/cloudtrail/organizations.ndjson");
  EXPECT_EQ(ndjson.exit_code, 3);
  EXPECT_NE(ndjson.err.find("the event cannot be read"), std::string::npos) << ndjson.err;
  EXPECT_NE(ndjson.err.find("pick one with --line N"), std::string::npos) << ndjson.err;

  const CliRun past_end = sigrun(std::string("explain --rules ") + kReference +
                                 " --line 99 examples/cloudtrail/organizations.ndjson");
  EXPECT_EQ(past_end.exit_code, 3);
  EXPECT_EQ(past_end.err, "sigrun: error: examples/cloudtrail/organizations.ndjson has no line 99\n");

  const CliRun from_stdin = sigrun(std::string("explain --rules ") + kReference + " -",
                                   "{\"eventSource\":\"organizations.amazonaws.com\",\n"
                                   " \"eventName\":\"InviteAccountToOrganization\"}\n");
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_NE(from_stdin.out.find("  result: match"), std::string::npos) << from_stdin.out;
}

TEST(Check, JsonFormatIsOneObjectPerDiagnosticOnStdout) {
  const fs::path bad =
      write("json_bad.yml",
            "title: bad\nlogsource: {product: test}\ndetection:\n  sel:\n    f|contain: \"x\"\n"
            "    g|contains|contains: y\n  condition: sel\n");
  const CliRun run = sigrun("check --format json " + quoted(bad));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "{\"code\":\"modifier-unknown\",\"severity\":\"error\",\"file\":\"" + bad.string() +
                "\",\"line\":5,\"column\":5,\"message\":\"unknown modifier 'contain'; expected a Sigma "
                "modifier such as contains, startswith, endswith, all, re, cased, windash, "
                "base64offset, cidr or exists\"}\n"
                "{\"code\":\"modifier-duplicate\",\"severity\":\"warning\",\"file\":\"" +
                bad.string() +
                "\",\"line\":6,\"column\":5,\"message\":\"modifier 'contains' is applied more than "
                "once\"}\n");
  EXPECT_EQ(run.err.find("[modifier-unknown]"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("1 errors, 1 warnings"), std::string::npos) << run.err;
  EXPECT_EQ(sigrun("check --format json --dump-program " + quoted(bad)).exit_code, 2);
}

TEST(Check, StrictMakesWarningsErrors) {
  const fs::path warned = write("warned.yml",
                                "title: warned\nlogsource: {product: test}\ndetection:\n  sel:\n"
                                "    g|contains|contains: y\n  condition: sel\n");
  const CliRun lenient = sigrun("check " + quoted(warned));
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_NE(lenient.err.find(":5:5: warning: modifier 'contains' is applied more than once"),
            std::string::npos)
      << lenient.err;
  const CliRun strict = sigrun("check --strict " + quoted(warned));
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(
      strict.err.find(":5:5: error: modifier 'contains' is applied more than once [modifier-duplicate]"),
      std::string::npos)
      << strict.err;
  EXPECT_NE(strict.err.find("1 errors, 0 warnings"), std::string::npos) << strict.err;
  const CliRun strict_json = sigrun("check --strict --format json " + quoted(warned));
  EXPECT_NE(strict_json.out.find("\"severity\":\"error\""), std::string::npos) << strict_json.out;
}

}  // namespace
