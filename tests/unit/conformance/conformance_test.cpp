// Runs every case of tests/conformance/*.yml under every backend (interpreter and JIT). A case is a rule
// (YAML text) and events each marked match/no-match, or a rule and the diagnostic code it must produce.
// See tests/conformance/README.md for the format.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sigrun/compiler/compiler.h"

namespace {

namespace fs = std::filesystem;
using sigrun::compiler::Backend;

struct EventCase {
  std::string json;
  bool match = false;
  int line = 0;
};

struct Case {
  std::string file;
  std::string name;
  std::string rule;
  std::string error;          // expected diagnostic code, empty when the rule must compile
  std::string error_message;  // expected rendered diagnostic text (optional, exact)
  std::vector<EventCase> events;
};

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  const fs::path dir = fs::path(SIGRUN_SOURCE_DIR) / "tests" / "conformance";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yml")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const YAML::Node root = YAML::LoadFile(file.string());
    for (const YAML::Node& c : root["cases"]) {
      Case out;
      out.file = file.filename().string();
      out.name = c["name"].as<std::string>();
      out.rule = c["rule"].as<std::string>();
      if (c["error"])
        out.error = c["error"].as<std::string>();
      if (c["error_message"])
        out.error_message = c["error_message"].as<std::string>();
      for (const YAML::Node& e : c["events"]) {
        out.events.push_back({e["event"].as<std::string>(), e["match"].as<bool>(), e.Mark().line + 1});
      }
      cases.push_back(std::move(out));
    }
  }
  return cases;
}

const std::vector<Case>& all_cases() {
  static const std::vector<Case> cases = load_cases();
  return cases;
}

void run_case(const Case& c, Backend backend) {
  SCOPED_TRACE(c.file + ": " + c.name);
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  auto compilation = sigrun::compiler::compile_rule_text("case.yml", c.rule, sources, diags);
  std::string rendered;
  for (const auto& d : diags.all())
    rendered += sigrun::diag::render(d, sources);
  if (!c.error.empty()) {
    bool found = false;
    for (const auto& d : diags.all())
      found = found || d.code == c.error;
    EXPECT_TRUE(found) << "expected diagnostic " << c.error << ", got:\n" << rendered;
    if (!c.error_message.empty()) {
      EXPECT_EQ(rendered, c.error_message);
    }
    return;
  }
  ASSERT_EQ(diags.error_count(), 0u) << rendered;
  ASSERT_EQ(compilation.program.rules.size(), 1u);
  auto engine = sigrun::compiler::make_engine(std::move(compilation.program), backend);
  ASSERT_TRUE(engine) << engine.error().message;
  sigrun::Scanner scanner(engine.value());
  for (const EventCase& e : c.events) {
    bool matched = false;
    std::string reason;
    const bool ok = scanner.scan(
        e.json, 0, [&](const sigrun::Match&) { matched = true; }, &reason);
    ASSERT_TRUE(ok) << "event at line " << e.line << " rejected: " << reason;
    EXPECT_EQ(matched, e.match) << "event at line " << e.line << ": " << e.json;
  }
}

class Conformance : public ::testing::TestWithParam<std::tuple<size_t, Backend>> {};

TEST_P(Conformance, Case) {
  const auto [index, backend] = GetParam();
  if (backend == Backend::Jit && !sigrun::compiler::jit_available())
    GTEST_SKIP() << "built without the JIT";
  run_case(all_cases().at(index), backend);
}

std::string case_name(const ::testing::TestParamInfo<std::tuple<size_t, Backend>>& info) {
  const auto [index, backend] = info.param;
  std::string name = all_cases().at(index).file + "_" + all_cases().at(index).name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)))
      ch = '_';
  }
  return name + (backend == Backend::Jit ? "_jit" : "_interp");
}

INSTANTIATE_TEST_SUITE_P(All, Conformance,
                         ::testing::Combine(::testing::Range<size_t>(0, all_cases().size()),
                                            ::testing::Values(Backend::Interpreter, Backend::Jit)),
                         case_name);

TEST(ConformanceSuite, HasCases) {
  EXPECT_GE(all_cases().size(), 40u);
}

}  // namespace
