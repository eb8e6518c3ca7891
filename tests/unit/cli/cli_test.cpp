// The sigrun command line, end to end: the demo (reference rule over the sample events) with both
// engines, malformed events, rule errors and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.h"

namespace {

namespace fs = std::filesystem;

using sigrun::testing::CliRun;
using sigrun::testing::read_file;

fs::path temp_dir() {
  static const fs::path dir = sigrun::testing::scratch_dir("sigrun_cli_test");
  return dir;
}

// Runs `sigrun ARGS` from the source directory, capturing stdout and stderr.
CliRun sigrun(const std::string& args, const std::string& stdin_text = "") {
  return sigrun::testing::run_sigrun(args, stdin_text, temp_dir());
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

const char* const kDemo = "scan --rules rules/ examples/cloudtrail/organizations.ndjson";

class Demo : public ::testing::TestWithParam<std::string> {};

TEST_P(Demo, FindsExactlyTheThreeInviteAttempts) {
  const CliRun run = sigrun(std::string(kDemo) + " --engine " + GetParam());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const std::vector<std::string> matches = lines(run.out);
  ASSERT_EQ(matches.size(), 3u) << run.out;
  const char* const expected_lines[] = {"\"line\":7,", "\"line\":14,", "\"line\":22,"};
  for (size_t i = 0; i < 3; ++i) {
    const std::string& m = matches[i];
    EXPECT_NE(m.find("\"title\":\"Invitation sent to account to join AWS organization\""), std::string::npos)
        << m;
    EXPECT_NE(m.find("\"author\":\"Sigrun Project\""), std::string::npos) << m;
    EXPECT_NE(m.find("\"level\":\"medium\""), std::string::npos) << m;
    EXPECT_NE(m.find("\"tags\":[\"attack.defense-evasion\",\"attack.stealth\",\"attack.t1535\"]"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find(expected_lines[i]), std::string::npos) << m;
    EXPECT_NE(m.find("\"event\":{"), std::string::npos) << m;
  }
  EXPECT_NE(matches[0].find("to ACCOUNT 444455556666 - outcome: success"), std::string::npos) << matches[0];
  EXPECT_NE(matches[1].find("to EMAIL finance-team@example.com - outcome: success"), std::string::npos)
      << matches[1];
  EXPECT_NE(matches[2].find("outcome: AccessDeniedException"), std::string::npos) << matches[2];
  EXPECT_NE(matches[2].find("arn:aws:sts::777788889999"), std::string::npos) << matches[2];
}

INSTANTIATE_TEST_SUITE_P(Engines, Demo, ::testing::Values("jit", "interp"));

TEST(Scan, MalformedLinesAreReportedWithTheirLineNumberAndTheStreamGoesOn) {
  const std::string events =
      "{\"eventSource\":\"organizations.amazonaws.com\",\"eventName\":\"InviteAccountToOrganization\"}\n"
      "{\"eventSource\": tru}\n"
      "\n"
      "[1,2]\n"
      "{\"eventSource\":\"organizations.amazonaws.com\",\"eventName\":\"InviteAccountToOrganization\"}";
  const CliRun run = sigrun("scan --rules rules/ --stats -", events);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(lines(run.out).size(), 2u) << run.out;
  EXPECT_NE(run.err.find("<stdin>:2: skipped event: malformed JSON"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("<stdin>:4: skipped event: event is not a JSON object"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("2 of 4 events were malformed and skipped"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("4 events read, 2 evaluated, 2 rejected, 2 matches"), std::string::npos) << run.err;
}

TEST(Check, AcceptsOurRules) {
  const CliRun run = sigrun("check rules/");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("0 errors"), std::string::npos) << run.err;
}

TEST(Check, ReportsErrorsWithFileLineAndColumn) {
  const fs::path bad = temp_dir() / "bad.yml";
  std::ofstream(bad) << "title: bad\nlogsource: {product: test}\ndetection:\n  sel:\n    f|contain: x\n"
                        "  condition: sel and filter\n";
  const CliRun run = sigrun("check '" + bad.string() + "'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(bad.string() + ":5:5: error: unknown modifier 'contain'"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(bad.string() + ":6:22: error: "), std::string::npos) << run.err;
}

TEST(Scan, RefusesRulesWithErrorsUnlessKeepGoing) {
  const fs::path dir = temp_dir() / "mixed";
  fs::create_directories(dir);
  std::ofstream(dir / "bad.yml")
      << "title: bad\nlogsource: {product: test}\ndetection:\n  condition: nothing\n";
  fs::copy_file(fs::path(SIGRUN_SOURCE_DIR) / "rules/cloud/aws/aws_org_invite_account.yml", dir / "good.yml",
                fs::copy_options::overwrite_existing);
  const std::string event =
      "{\"eventSource\":\"organizations.amazonaws.com\",\"eventName\":\"InviteAccountToOrganization\"}\n";
  const CliRun refused = sigrun("scan --rules '" + dir.string() + "' -", event);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("nothing scanned"), std::string::npos) << refused.err;
  const CliRun kept = sigrun("scan --keep-going --rules '" + dir.string() + "' -", event);
  EXPECT_EQ(kept.exit_code, 1);
  EXPECT_EQ(lines(kept.out).size(), 1u) << kept.err;
}

// ---- Log-source routing and filters ----

const char* const kWindowsNegation =
    "title: anything but notepad\nid: 11111111-1111-1111-1111-111111111111\n"
    "logsource: {product: windows, category: process_creation}\n"
    "detection:\n  filter: {Image|endswith: '\\notepad.exe'}\n  condition: not filter\n";
const char* const kMacNegation =
    "title: mac anything\nid: 22222222-2222-2222-2222-222222222222\n"
    "logsource: {product: macos, category: process_creation}\n"
    "detection:\n  filter: {Image: /usr/bin/true}\n  condition: not filter\n";

fs::path write_rules(const std::string& name, const std::vector<std::string>& documents) {
  const fs::path dir = temp_dir() / name;
  fs::create_directories(dir);
  for (size_t i = 0; i < documents.size(); ++i)
    std::ofstream(dir / ("r" + std::to_string(i) + ".yml")) << documents[i];
  return dir;
}

const char* const kEvents =
    "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"Image\":\"C:\\\\x\\\\cmd.exe\"}\n"
    "{\"Channel\":\"Security\",\"EventID\":4624}\n"
    "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}\n";

TEST(LogSources, RulesRunOnlyOnTheEventsOfTheirLogSource) {
  const fs::path dir = write_rules("routing", {kWindowsNegation, kMacNegation});
  const CliRun run = sigrun("scan --engine interp --rules '" + dir.string() + "' -", kEvents);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> matches = lines(run.out);
  ASSERT_EQ(matches.size(), 1u) << run.out;
  EXPECT_NE(matches[0].find("\"line\":1,"), std::string::npos) << matches[0];
  EXPECT_NE(run.err.find("sigrun: 1 rules not run: no mapping for their log source"), std::string::npos)
      << run.err;
}

TEST(LogSources, CheckAndStatsListTheUnmappedRules) {
  const fs::path dir = write_rules("listing", {kWindowsNegation, kMacNegation});
  const CliRun check = sigrun("check '" + dir.string() + "'");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.err.find("1 rules mapped, 0 on every event (declared log source), 0 unmapped run on every "
                           "event, 1 unmapped not run"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find("sigrun:   unmapped  22222222-2222-2222-2222-222222222222  mac anything  "
                           "[product=macos,category=process_creation]"),
            std::string::npos)
      << check.err;
  const CliRun stats = sigrun("scan --stats --rules '" + dir.string() + "' -", kEvents);
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.err.find("sigrun:   unmapped  22222222-2222-2222-2222-222222222222  mac anything"),
            std::string::npos)
      << stats.err;
}

TEST(LogSources, UnmappedRunRunsThemOnEveryEvent) {
  const fs::path dir = write_rules("unmapped_run", {kWindowsNegation, kMacNegation});
  const CliRun run = sigrun("scan --unmapped run --rules '" + dir.string() + "' -", kEvents);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // The Windows rule on its Sysmon event, the macOS rule on all three events.
  EXPECT_EQ(lines(run.out).size(), 4u) << run.out;
}

TEST(LogSources, DeclaredLogSourceRunsItsRulesOnEveryEvent) {
  const fs::path dir = write_rules("declared", {kWindowsNegation, kMacNegation});
  const CliRun run =
      sigrun("scan --logsource product=macos,category=process_creation --rules '" + dir.string() + "' -",
             "{\"Image\":\"/bin/sh\"}\n{\"Image\":\"/usr/bin/true\"}\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> matches = lines(run.out);
  ASSERT_EQ(matches.size(), 1u) << run.out;
  EXPECT_NE(matches[0].find("mac anything"), std::string::npos) << matches[0];
  const CliRun check =
      sigrun("check --logsource product=macos,category=process_creation '" + dir.string() + "'");
  EXPECT_NE(check.err.find("0 rules mapped, 1 on every event (declared log source), 0 unmapped run on every "
                           "event, 0 unmapped not run, 1 of other log sources not run"),
            std::string::npos)
      << check.err;
  const CliRun bad = sigrun("check --logsource product=zeek,colour=red '" + dir.string() + "'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown key 'colour'; expected product, category or service"), std::string::npos)
      << bad.err;
}

TEST(LogSources, OwnMappingsWithErrorsReportedAtTheirPosition) {
  const fs::path dir = write_rules("own_mappings", {kMacNegation});
  const fs::path mapping = temp_dir() / "macos.yml";
  std::ofstream(mapping) << "logsources:\n  mac:\n    product: macos\n    category: process_creation\n"
                            "    conditions: {event_type: exec}\n";
  const CliRun run = sigrun("scan --mappings '" + mapping.string() + "' --rules '" + dir.string() + "' -",
                            "{\"event_type\":\"exec\",\"Image\":\"/bin/sh\"}\n{\"Image\":\"/bin/sh\"}\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(lines(run.out).size(), 1u) << run.out;
  const fs::path bad = temp_dir() / "bad_mapping.yml";
  std::ofstream(bad) << "logsources:\n  mac:\n    product: macos\n    conditons: {event_type: exec}\n";
  const CliRun check =
      sigrun("check --no-default-mappings --mappings '" + bad.string() + "' '" + dir.string() + "'");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find(bad.string() + ":4:5: error: unknown attribute 'conditons' in a mapping entry"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find(bad.string() + ":2:3: error: missing required attribute 'conditions'"),
            std::string::npos)
      << check.err;
}

TEST(LogSources, NoDefaultMappingsLeavesEveryRuleUnmapped) {
  const CliRun run = sigrun("check --no-default-mappings rules/");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("0 mapping entries; 0 rules mapped"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("sigrun:   unmapped  4a62e8cb-0cdc-4429-8b69-ab3a5616670d"), std::string::npos)
      << run.err;
}

const char* const kInviteFilter =
    "title: only successful invitations\n"
    "logsource: {product: aws, service: cloudtrail}\n"
    "filter:\n"
    "  rules: [4a62e8cb-0cdc-4429-8b69-ab3a5616670d]\n"
    "  failed: {errorCode|exists: true}\n"
    "  condition: not failed\n";

TEST(Filters, GivenAsRulePathOrWithFiltersTheyApplyToTheRulesTheyName) {
  const CliRun plain = sigrun(std::string(kDemo) + " --engine interp");
  ASSERT_EQ(lines(plain.out).size(), 3u) << plain.err;
  const fs::path filter = temp_dir() / "filters" / "invite_filter.yml";
  fs::create_directories(filter.parent_path());
  std::ofstream(filter) << kInviteFilter;
  const CliRun mixed = sigrun("scan --engine interp --rules rules/ --rules '" + filter.string() +
                              "' examples/cloudtrail/organizations.ndjson");
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
  const CliRun separate =
      sigrun("scan --engine interp --rules rules/ --filters '" + filter.parent_path().string() +
             "' examples/cloudtrail/organizations.ndjson");
  EXPECT_EQ(separate.exit_code, 0) << separate.err;
  EXPECT_EQ(mixed.out, separate.out);
  // The denied invitation is filtered out; the two that succeeded remain.
  const std::vector<std::string> matches = lines(separate.out);
  EXPECT_EQ(matches.size(), 2u) << separate.out;
  for (const std::string& m : matches)
    EXPECT_EQ(m.find("AccessDeniedException"), std::string::npos) << m;
}

TEST(Filters, UnknownRuleIsAWarningAndRulesInAFiltersFileAreErrors) {
  const fs::path filter = temp_dir() / "unknown_filter.yml";
  std::ofstream(filter) << "title: f\nlogsource: {product: aws}\nfilter:\n  rules: [no-such-rule]\n"
                           "  s: {a: 1}\n  condition: not s\n";
  const CliRun run = sigrun("check --filters '" + filter.string() + "' rules/");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(
      run.err.find(filter.string() + ":4:11: warning: filter 'f' names rule 'no-such-rule', which is not "
                                     "among the rules compiled [filter-unknown-rule]"),
      std::string::npos)
      << run.err;
  const CliRun rules_as_filters = sigrun("check --filters rules/ rules/");
  EXPECT_EQ(rules_as_filters.exit_code, 1);
  EXPECT_NE(rules_as_filters.err.find("[filter-document-expected]"), std::string::npos)
      << rules_as_filters.err;
}

TEST(Placeholders, CheckAndScanReadThePlaceholdersFile) {
  const fs::path dir = temp_dir() / "placeholders";
  fs::create_directories(dir);
  const fs::path rule = dir / "rule.yml";
  std::ofstream(rule) << "title: admins\nlogsource: {product: test}\ndetection:\n  sel:\n"
                         "    User|expand: '%admins%'\n  condition: sel\n";
  const fs::path values = dir / "values.yml";
  std::ofstream(values) << "admins: [root, Administrator]\n";
  const fs::path broken = dir / "broken.yml";
  std::ofstream(broken) << "admins: {a: b}\n";

  const CliRun unresolved = sigrun("check '" + rule.string() + "'");
  EXPECT_EQ(unresolved.exit_code, 1);
  EXPECT_NE(unresolved.err.find(rule.string() + ":5:18: error: placeholder '%admins%' has no values"),
            std::string::npos)
      << unresolved.err;
  const CliRun resolved = sigrun("check --placeholders '" + values.string() + "' '" + rule.string() + "'");
  EXPECT_EQ(resolved.exit_code, 0) << resolved.err;
  const CliRun bad_file = sigrun("check --placeholders '" + broken.string() + "' '" + rule.string() + "'");
  EXPECT_EQ(bad_file.exit_code, 1);
  EXPECT_NE(bad_file.err.find(broken.string() + ":1:9: error: expected a string or a number"),
            std::string::npos)
      << bad_file.err;

  const CliRun scan =
      sigrun("scan --unmapped run --placeholders '" + values.string() + "' --rules '" + rule.string() + "' -",
             "{\"User\":\"administrator\"}\n{\"User\":\"bob\"}\n");
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_EQ(lines(scan.out).size(), 1u) << scan.out;
}

TEST(Cli, HelpForEveryCommand) {
  for (const char* args : {"--help", "check --help", "scan --help"}) {
    const CliRun run = sigrun(args);
    EXPECT_EQ(run.exit_code, 0) << args;
    EXPECT_NE(run.out.find("Usage"), std::string::npos) << args << run.out;
  }
  EXPECT_EQ(sigrun("scan").exit_code, 2);
  EXPECT_EQ(sigrun("scan --rules rules/ no-such-file.ndjson").exit_code, 3);
}

// evtx_dump JSON lines: Sigma names (Image, Provider_Name, Channel, EventID) and keywords resolve against
// the evtx layout, whether the format is given or detected.
TEST(Scan, EvtxJsonEventsMatchBySigmaFieldNames) {
  const fs::path rule = temp_dir() / "evtx_whoami.yml";
  std::ofstream(rule) << "title: Whoami privileges\n"
                         "id: 0e7d6e4e-1a61-4a43-9d0b-6a3a7b0c0001\n"
                         "logsource: {product: windows, category: process_creation}\n"
                         "detection:\n"
                         "  sel:\n"
                         "    Image|endswith: '\\whoami.exe'\n"
                         "    Provider_Name: Microsoft-Windows-Sysmon\n"
                         "  keywords:\n"
                         "    - '/priv'\n"
                         "  condition: sel and keywords\n"
                         "level: low\n";
  const std::string system_start =
      R"({"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},)"
      R"("System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"5770385F"}},)";
  const std::string system_end = R"("Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"WS1",)"
                                 R"("Execution":{"#attributes":{"ProcessID":1912,"ThreadID":996}}},)";
  const std::string events =
      system_start + R"("EventID":1,)" + system_end +
      R"("EventData":{"Image":"C:\\Windows\\System32\\whoami.exe","CommandLine":"whoami /priv"}}})" + "\n" +
      system_start + R"("EventID":1,)" + system_end +
      R"("EventData":{"Image":"C:\\Windows\\System32\\whoami.exe","CommandLine":"whoami"}}})" + "\n" +
      system_start + R"("EventID":{"#attributes":{"Qualifiers":"0"},"#text":1},)" + system_end +
      R"("EventData":{"Image":"C:\\Windows\\System32\\WHOAMI.EXE","CommandLine":"whoami.exe",)"
      R"("ParentCommandLine":"cmd /c whoami /PRIV"}}})" +
      "\n";
  for (const char* format : {"", " --input-format evtx-json"}) {
    const CliRun run = sigrun("scan --stats --rules '" + rule.string() + "'" + format + " -", events);
    ASSERT_EQ(run.exit_code, 0) << format << run.err;
    const std::vector<std::string> matches = lines(run.out);
    ASSERT_EQ(matches.size(), 2u) << format << run.out << run.err;
    EXPECT_NE(matches[0].find("\"line\":1,"), std::string::npos) << matches[0];
    EXPECT_NE(matches[0].find("\"event\":" + system_start), std::string::npos) << matches[0];
    EXPECT_NE(matches[1].find("\"line\":3,"), std::string::npos) << matches[1];
    EXPECT_NE(run.err.find(std::string("sigrun: input format evtx-json (") +
                           (*format ? "given" : "detected") + ")"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("3 events read, 3 evaluated, 0 rejected, 2 matches"), std::string::npos)
        << run.err;
  }
  // Read as flat JSON the same events have no field of those names.
  const CliRun flat = sigrun("scan --stats --input-format json --rules '" + rule.string() + "' -", events);
  EXPECT_EQ(flat.exit_code, 0) << flat.err;
  EXPECT_EQ(flat.out, "");
  EXPECT_NE(flat.err.find("sigrun: input format json (given)"), std::string::npos) << flat.err;
}

// A CloudTrail log file, pretty-printed over many lines, then one on one line, then a bare record: one
// event per record, reported with the record's own text and the line where its document starts.
TEST(Scan, CloudTrailLogFilesGiveOneEventPerRecord) {
  const fs::path rule = temp_dir() / "trail_stopped.yml";
  std::ofstream(rule) << "title: Trail stopped\n"
                         "id: 0e7d6e4e-1a61-4a43-9d0b-6a3a7b0c0002\n"
                         "logsource: {product: aws, service: cloudtrail}\n"
                         "detection:\n"
                         "  sel:\n"
                         "    eventSource: cloudtrail.amazonaws.com\n"
                         "    eventName: [StopLogging, DeleteTrail]\n"
                         "  condition: sel\n"
                         "level: medium\n";
  const fs::path events = temp_dir() / "trail.json";
  std::ofstream(events, std::ios::binary)
      << "{\n"                                                        // 1
         "  \"Records\": [\n"                                         // 2
         "    {\n"                                                    // 3
         "      \"eventVersion\": \"1.08\",\n"                        // 4
         "      \"eventSource\": \"cloudtrail.amazonaws.com\",\n"     // 5
         "      \"eventName\": \"StopLogging\",\n"                    // 6
         "      \"requestParameters\": {\"name\": \"main-trail\"}\n"  // 7
         "    },\n"                                                   // 8
         "    {\"eventSource\": \"cloudtrail.amazonaws.com\", \"eventName\": \"DescribeTrails\"},\n"
         "    {\"eventSource\": \"cloudtrail.amazonaws.com\", \"eventName\": \"DeleteTrail\", "
         "\"requestParameters\": {\"name\": \"second\"}}\n"  // 10
         "  ]\n"
         "}\n"  // 12
         "{\"Records\":[{\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"DeleteTrail\","
         "\"requestParameters\":{\"name\":\"third\"}},\"oops\"]}\n"  // 13
         "{\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"StopLogging\","
         "\"requestParameters\":{\"name\":\"fourth\"}}\n"  // 14
         "{\n"                                             // 15
         "  \"Records\": [\n"
         "    {\"eventName\": tru}\n"
         "  ]\n"
         "}\n";
  for (const char* format : {"", " --input-format cloudtrail"}) {
    const CliRun run =
        sigrun("scan --stats --rules '" + rule.string() + "'" + format + " '" + events.string() + "'");
    ASSERT_EQ(run.exit_code, 0) << format << run.err;
    const std::vector<std::string> matches = lines(run.out);
    ASSERT_EQ(matches.size(), 4u) << format << run.out << run.err;
    EXPECT_NE(matches[0].find("\"line\":1,"), std::string::npos) << matches[0];
    EXPECT_NE(matches[0].find("\"event\":{       \"eventVersion\": \"1.08\","), std::string::npos)
        << matches[0];
    EXPECT_NE(matches[0].find("\"name\": \"main-trail\"}     }}"), std::string::npos) << matches[0];
    EXPECT_EQ(matches[0].find("DescribeTrails"), std::string::npos) << matches[0];
    EXPECT_NE(
        matches[1].find("\"line\":1,\"event\":{\"eventSource\": \"cloudtrail.amazonaws.com\", \"eventName\": "
                        "\"DeleteTrail\", \"requestParameters\": {\"name\": \"second\"}}}"),
        std::string::npos)
        << matches[1];
    EXPECT_NE(
        matches[2].find("\"line\":13,\"event\":{\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":"
                        "\"DeleteTrail\",\"requestParameters\":{\"name\":\"third\"}}}"),
        std::string::npos)
        << matches[2];
    EXPECT_NE(matches[3].find("\"line\":14,"), std::string::npos) << matches[3];
    const std::string source = events.string();
    EXPECT_NE(run.err.find(source + ":13: skipped event: CloudTrail record is not a JSON object"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find(source + ":15: skipped event: malformed JSON"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(std::string("sigrun: input format cloudtrail (") +
                           (*format ? "given" : "detected") + ")"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("7 events read, 5 evaluated, 2 rejected, 4 matches"), std::string::npos)
        << run.err;
  }
}

TEST(Scan, UnknownInputFormatIsAUsageError) {
  const CliRun run = sigrun("scan --rules rules/ --input-format xml -", "{}\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--input-format"), std::string::npos) << run.err;
}

}  // namespace
