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

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path temp_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("sigrun_cli_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// Runs `sigrun ARGS` from the source directory, capturing stdout and stderr.
CliRun sigrun(const std::string& args, const std::string& stdin_text = "") {
  const fs::path out = temp_dir() / "out.txt";
  const fs::path err = temp_dir() / "err.txt";
  const fs::path in = temp_dir() / "in.txt";
  std::ofstream(in, std::ios::binary) << stdin_text;
  const std::string command = std::string("cd '") + SIGRUN_SOURCE_DIR + "' && '" + SIGRUN_CLI_PATH + "' " +
                              args + " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() +
                              "'";
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
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

TEST(Cli, HelpForEveryCommand) {
  for (const char* args : {"--help", "check --help", "scan --help"}) {
    const CliRun run = sigrun(args);
    EXPECT_EQ(run.exit_code, 0) << args;
    EXPECT_NE(run.out.find("Usage"), std::string::npos) << args << run.out;
  }
  EXPECT_EQ(sigrun("scan").exit_code, 2);
  EXPECT_EQ(sigrun("scan --rules rules/ no-such-file.ndjson").exit_code, 3);
}

}  // namespace
