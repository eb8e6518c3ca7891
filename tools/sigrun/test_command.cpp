// `sigrun test RULES...`: run the test events each rule carries (its `tests` attribute, docs/authoring.md)
// under the reference interpreter and the JIT, one PASS/FAIL line per rule, a summary line and optionally
// a JUnit XML report.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "authoring_loading.h"
#include "commands.h"
#include "sigrun/compiler/compiler.h"
#include "sigrun/event_trace.h"

namespace sigrun::cli {
namespace {

struct TestOptions {
  std::string placeholders;
  std::vector<std::string> paths;
  std::string junit;
  bool allow_untested = false;
};

// One test event's outcome.
struct EventResult {
  const compiler::RuleTest* test = nullptr;
  bool passed = false;
  std::string failure;  // what went wrong, when it did not pass
};

// One rule's (or one unreadable file's) outcome.
struct RuleResult {
  std::string title;
  std::string id;
  std::string file;
  uint32_t line = 0;
  enum class Status { Passed, Failed, Untested } status = Status::Passed;
  std::string problem;  // a failure that is not an event's: "does not compile", "no tests"
  std::vector<EventResult> events;
};

const char* matched_text(bool matched) {
  return matched ? "match" : "no match";
}

EventResult run_event(const compiler::RuleTest& test, uint32_t rule, EventTrace& trace, bool has_jit) {
  EventResult result;
  result.test = &test;
  std::string reason;
  if (!trace.load(test.event, &reason)) {
    result.failure = "the event cannot be read: " + reason;
    return result;
  }
  const bool reference = trace.reference_matches(rule);
  const bool native = trace.rule_matches(rule);
  const char* expected = test.expect_match ? "expected a match" : "expected no match";
  if (reference == test.expect_match && native == test.expect_match) {
    result.passed = true;
    return result;
  }
  result.failure = std::string(expected) + "; interp: " + matched_text(reference);
  if (has_jit)
    result.failure += std::string(", jit: ") + matched_text(native);
  return result;
}

std::string counts_text(const RuleResult& r) {
  size_t match = 0;
  size_t match_passed = 0;
  size_t no_match = 0;
  size_t no_match_passed = 0;
  for (const EventResult& e : r.events) {
    size_t& total = e.test->expect_match ? match : no_match;
    size_t& passed = e.test->expect_match ? match_passed : no_match_passed;
    ++total;
    passed += e.passed ? 1 : 0;
  }
  if (r.status == RuleResult::Status::Passed)
    return std::to_string(match) + " match, " + std::to_string(no_match) + " no_match";
  return std::to_string(match_passed) + "/" + std::to_string(match) + " match, " +
         std::to_string(no_match_passed) + "/" + std::to_string(no_match) + " no_match passed";
}

void print_result(const RuleResult& r) {
  const char* status = r.status == RuleResult::Status::Passed   ? "PASS"
                       : r.status == RuleResult::Status::Failed ? "FAIL"
                                                                : "SKIP";
  std::cout << status << "  " << r.title << "  [" << (r.problem.empty() ? counts_text(r) : r.problem)
            << "]\n";
  for (const EventResult& e : r.events) {
    if (e.passed)
      continue;
    std::cout << "      " << (e.test->expect_match ? "match " : "no_match ") << e.test->index << " ("
              << r.file << ":" << e.test->line << "): " << e.failure << "\n";
  }
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 allows no control characters but tab and line breaks.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

// JUnit XML: one <testsuite> per rule, one <testcase> per test event (or one for a rule that does not
// compile or has no tests).
bool write_junit(const std::string& path, const std::vector<RuleResult>& results) {
  size_t tests = 0;
  size_t failures = 0;
  std::string suites;
  for (const RuleResult& r : results) {
    if (r.status == RuleResult::Status::Untested)
      continue;
    std::string cases;
    size_t suite_tests = 0;
    size_t suite_failures = 0;
    const std::string where = xml_escape(r.file);
    if (!r.problem.empty()) {
      ++suite_tests;
      ++suite_failures;
      cases += "    <testcase classname=\"" + where + "\" name=\"" + xml_escape(r.problem) + "\" file=\"" +
               where + "\" line=\"" + std::to_string(r.line) + "\">\n      <failure message=\"" +
               xml_escape(r.problem) + "\"/>\n    </testcase>\n";
    }
    for (const EventResult& e : r.events) {
      ++suite_tests;
      const std::string name = std::string(e.test->expect_match ? "match " : "no_match ") +
                               std::to_string(e.test->index) + " (line " + std::to_string(e.test->line) + ")";
      cases += "    <testcase classname=\"" + where + "\" name=\"" + xml_escape(name) + "\" file=\"" + where +
               "\" line=\"" + std::to_string(e.test->line) + "\"";
      if (e.passed) {
        cases += "/>\n";
        continue;
      }
      ++suite_failures;
      cases += ">\n      <failure message=\"" + xml_escape(e.failure) + "\"/>\n    </testcase>\n";
    }
    tests += suite_tests;
    failures += suite_failures;
    suites += "  <testsuite name=\"" + xml_escape(r.title) + "\" id=\"" + xml_escape(r.id) + "\" file=\"" +
              where + "\" tests=\"" + std::to_string(suite_tests) + "\" failures=\"" +
              std::to_string(suite_failures) + "\" errors=\"0\" skipped=\"0\">\n" + cases +
              "  </testsuite>\n";
  }
  std::ofstream out(path, std::ios::binary);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sigrun test\" tests=\"" << tests
      << "\" failures=\"" << failures << "\" errors=\"0\">\n"
      << suites << "</testsuites>\n";
  out.close();
  return static_cast<bool>(out);
}

int run_test(const TestOptions& options) {
  AuthoringRules loaded = load_authoring_rules(options.paths, {options.placeholders});
  if (loaded.io_error)
    return kExitIoError;
  const compiler::AuthoringCompilation& c = loaded.compilation;
  const program::Program& program = c.compilation.program;

  std::vector<RuleResult> results;
  if (!program.rules.empty()) {
    const bool has_jit = compiler::jit_available();
    std::shared_ptr<const Engine> engine = make_authoring_engine(program, has_jit ? "jit" : "interp");
    if (!engine)
      return kExitRuleErrors;
    EventTrace trace(engine);
    for (uint32_t r = 0; r < program.rules.size(); ++r) {
      const program::RuleInfo& info = program.rules[r];
      const compiler::AuthoringRule& authoring = c.rules[r];
      RuleResult result{info.title, info.id, info.source_file, info.source_line, RuleResult::Status::Passed,
                        "",         {}};
      if (!authoring.has_tests) {
        result.status = options.allow_untested ? RuleResult::Status::Untested : RuleResult::Status::Failed;
        result.problem = "no tests: add a 'tests' attribute (docs/authoring.md)";
      }
      for (const compiler::RuleTest& test : authoring.tests) {
        result.events.push_back(run_event(test, r, trace, has_jit));
        if (!result.events.back().passed)
          result.status = RuleResult::Status::Failed;
      }
      results.push_back(std::move(result));
    }
  }
  // Rules that did not compile fail; so does a file with errors none of whose rules could be named (a
  // YAML error, a document that is not a rule).
  for (const compiler::RuleListing& rule : c.failed) {
    results.push_back({rule.title,
                       rule.id,
                       rule.source_file,
                       rule.line,
                       RuleResult::Status::Failed,
                       "does not compile",
                       {}});
  }
  for (const std::string& file : c.compilation.failed_files) {
    bool named = false;
    for (const compiler::RuleListing& rule : c.failed)
      named = named || rule.source_file == file;
    if (!named)
      results.push_back({file, "", file, 0, RuleResult::Status::Failed, "does not compile", {}});
  }

  size_t passed = 0;
  size_t failed = 0;
  for (const RuleResult& r : results) {
    print_result(r);
    passed += r.status == RuleResult::Status::Passed ? 1 : 0;
    failed += r.status == RuleResult::Status::Failed ? 1 : 0;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  std::cout.flush();
  if (!options.junit.empty() && !write_junit(options.junit, results)) {
    std::cerr << "sigrun: error: cannot write the JUnit report to " << options.junit << "\n";
    return kExitIoError;
  }
  if (!std::cout) {
    return kExitIoError;
  }
  return failed == 0 ? kExitOk : kExitRuleErrors;
}

}  // namespace

Command add_test_command(CLI::App& app) {
  auto options = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "test", "Run the test events of rules (their 'tests' attribute) under the interpreter and the JIT");
  cmd->add_option("rules", options->paths, "Rule files or directories (searched for *.yml, *.yaml)")
      ->required();
  cmd->add_option("--junit", options->junit, "Also write the results as JUnit XML to FILE");
  cmd->add_flag("--allow-untested", options->allow_untested,
                "Report rules without tests as SKIP instead of failing them");
  cmd->add_option("--placeholders", options->placeholders,
                  "YAML file of values for the expand modifier's %name% placeholders (name: [values])");
  return [options] { return run_test(*options); };
}

}  // namespace sigrun::cli
