// Runs every case of tests/conformance/*.yml under every backend (interpreter and JIT). A case is a rule
// (YAML text) and events each marked match/no-match, or a rule and the diagnostic code it must produce.
// See tests/conformance/README.md for the format.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
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
  std::string input_format;   // how events name their fields (optional): json, evtx-json, cloudtrail, auto
  // Log-source routing, on when any of these is given: mapping YAML text, declared log sources
  // (`product=...,service=...`), what to do with unmapped rules (skip or run), the shipped mappings/.
  std::string mappings;
  std::vector<std::string> logsources;
  std::string unmapped;
  bool shipped_mappings = false;
  bool runs = true;     // whether the rule is in the program; false: routing leaves it out
  std::string warning;  // a diagnostic code that must be reported as a warning (optional)
  // Values of %name% placeholders for `expand` (optional): name -> one value or a list of values.
  std::map<std::string, std::vector<std::string>> placeholders;
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
      if (c["input_format"])
        out.input_format = c["input_format"].as<std::string>();
      if (c["mappings"])
        out.mappings = c["mappings"].as<std::string>();
      if (c["logsource"] && c["logsource"].IsSequence())
        out.logsources = c["logsource"].as<std::vector<std::string>>();
      else if (c["logsource"])
        out.logsources = {c["logsource"].as<std::string>()};
      if (c["unmapped"])
        out.unmapped = c["unmapped"].as<std::string>();
      if (c["shipped_mappings"])
        out.shipped_mappings = c["shipped_mappings"].as<bool>();
      if (c["runs"])
        out.runs = c["runs"].as<bool>();
      if (c["warning"])
        out.warning = c["warning"].as<std::string>();
      for (const auto& entry : c["placeholders"]) {
        const YAML::Node& values = entry.second;
        out.placeholders[entry.first.as<std::string>()] =
            values.IsSequence() ? values.as<std::vector<std::string>>()
                                : std::vector<std::string>{values.as<std::string>()};
      }
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
  sigrun::compiler::CompileOptions options;
  options.route_logsources =
      !c.mappings.empty() || !c.logsources.empty() || !c.unmapped.empty() || c.shipped_mappings;
  if (!c.mappings.empty())
    options.mapping_texts.push_back({"mappings.yml", c.mappings});
  if (c.shipped_mappings)
    options.mapping_paths.push_back(std::string(SIGRUN_SOURCE_DIR) + "/mappings");
  for (const std::string& text : c.logsources) {
    auto spec = sigrun::compiler::parse_logsource_spec(text);
    ASSERT_TRUE(spec) << spec.error().message;
    options.declared_logsources.push_back(spec.value());
  }
  options.unmapped =
      c.unmapped == "run" ? sigrun::compiler::UnmappedRules::Run : sigrun::compiler::UnmappedRules::Skip;
  options.placeholders = c.placeholders;
  auto compilation = sigrun::compiler::compile_rule_text("case.yml", c.rule, sources, diags, options);
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
  if (!c.warning.empty()) {
    bool found = false;
    for (const auto& d : diags.all())
      found = found || (d.code == c.warning && d.severity == sigrun::diag::Severity::Warning);
    EXPECT_TRUE(found) << "expected warning " << c.warning << ", got:\n" << rendered;
  }
  ASSERT_EQ(compilation.program.rules.size(), c.runs ? 1u : 0u);
  auto engine = sigrun::compiler::make_engine(std::move(compilation.program), backend);
  ASSERT_TRUE(engine) << engine.error().message;
  const auto format = sigrun::parse_input_format(c.input_format.empty() ? "json" : c.input_format);
  ASSERT_TRUE(format.has_value()) << "unknown input_format '" << c.input_format << "'";
  sigrun::Scanner scanner(engine.value());
  for (const EventCase& e : c.events) {
    bool matched = false;
    std::string reason;
    const bool ok = scanner.scan(
        e.json, 0, [&](const sigrun::Match&) { matched = true; }, &reason, *format);
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
