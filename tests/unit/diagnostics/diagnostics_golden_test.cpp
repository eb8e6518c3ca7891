// Golden diagnostics: every case of tests/golden/diagnostics/*.yml compiles its files and must render
// exactly its `expected` text (see tests/golden/diagnostics/README.md for the format). Coverage is enforced
// from the sources: every code the compiler passes to DiagnosticEngine::error/warning must have a case and
// a section in docs/diagnostics.md that quotes the case's files and output verbatim, and every case must
// name a code the compiler still emits.
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "sigrun/compiler/authoring.h"
#include "sigrun/compiler/compiler.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = SIGRUN_SOURCE_DIR;
const fs::path kCaseDir = kSourceDir / "tests" / "golden" / "diagnostics";

struct Case {
  std::string name;  // file name without .yml
  std::string code;
  std::vector<std::pair<std::string, std::string>> files;  // written in the case's directory, in order
  std::vector<std::string> rules;                          // the rule paths compiled; default: the first file
  std::vector<std::string> mappings;                       // log-source routing with these mapping files
  std::vector<std::string> logsources;                     // declared log sources (routing on)
  std::string unmapped;                                    // skip or run (routing on)
  std::vector<std::string> filters;
  std::string placeholders;
  bool authoring = false;  // compiled as `sigrun test` does (reads the tests attribute)
  std::string expected;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> strings(const YAML::Node& node) {
  if (!node)
    return {};
  if (node.IsSequence())
    return node.as<std::vector<std::string>>();
  return {node.as<std::string>()};
}

std::vector<Case> load_cases() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(kCaseDir)) {
    if (entry.path().extension() == ".yml")
      paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Case> cases;
  for (const fs::path& path : paths) {
    const YAML::Node root = YAML::LoadFile(path.string());
    Case c;
    c.name = path.stem().string();
    c.code = root["code"].as<std::string>();
    for (const auto& file : root["files"])
      c.files.emplace_back(file.first.as<std::string>(), file.second.as<std::string>());
    const YAML::Node options = root["options"] ? root["options"] : YAML::Node(YAML::NodeType::Map);
    c.rules = strings(options["rules"]);
    if (c.rules.empty() && !c.files.empty())
      c.rules.push_back(c.files.front().first);
    c.mappings = strings(options["mappings"]);
    c.logsources = strings(options["logsources"]);
    if (options["unmapped"])
      c.unmapped = options["unmapped"].as<std::string>();
    c.filters = strings(options["filters"]);
    if (options["placeholders"])
      c.placeholders = options["placeholders"].as<std::string>();
    if (options["authoring"])
      c.authoring = options["authoring"].as<bool>();
    c.expected = root["expected"].as<std::string>();
    cases.push_back(std::move(c));
  }
  return cases;
}

struct Outcome {
  std::string rendered;
  std::set<std::string> codes;
};

// Writes the case's files into a fresh directory and compiles them from there, so the rendered paths
// are the relative names the case gives.
Outcome run_case(const Case& c) {
  const fs::path dir =
      fs::temp_directory_path() / ("sigrun_diagnostics_golden_" + std::to_string(::getpid())) / c.name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [name, text] : c.files) {
    const fs::path file = dir / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
  const fs::path previous = fs::current_path();
  fs::current_path(dir);

  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  std::vector<std::string> files;
  for (const std::string& path : c.rules) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      auto found = sigrun::compiler::collect_rule_files({path});
      if (found)
        files.insert(files.end(), found.value().begin(), found.value().end());
    } else {
      files.push_back(path);
    }
  }
  if (c.authoring) {
    (void)sigrun::compiler::compile_for_authoring(files, sources, diags, {c.placeholders});
  } else {
    sigrun::compiler::CompileOptions options;
    options.route_logsources = !c.mappings.empty() || !c.logsources.empty() || !c.unmapped.empty();
    options.mapping_paths = c.mappings;
    for (const std::string& text : c.logsources) {
      auto spec = sigrun::compiler::parse_logsource_spec(text);
      if (spec)
        options.declared_logsources.push_back(spec.value());
    }
    options.unmapped =
        c.unmapped == "run" ? sigrun::compiler::UnmappedRules::Run : sigrun::compiler::UnmappedRules::Skip;
    options.filter_paths = c.filters;
    options.placeholders_path = c.placeholders;
    (void)sigrun::compiler::compile_rules(files, sources, diags, options);
  }
  fs::current_path(previous);
  fs::remove_all(dir);

  Outcome out;
  for (const sigrun::diag::Diagnostic& d : diags.all()) {
    out.rendered += sigrun::diag::render(d, sources);
    out.codes.insert(d.code);
  }
  return out;
}

// Every code passed as a literal to DiagnosticEngine::error/warning (`diags.error("code", ...`, also split
// over lines) in the compiler's and the CLI's sources.
std::set<std::string> codes_in_sources() {
  static const std::regex kCall(R"re(\b(?:error|warning)\(\s*"([a-z0-9]+(?:-[a-z0-9]+)+)")re");
  std::set<std::string> codes;
  for (const char* root : {"compiler", "tools"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kSourceDir / root)) {
      const fs::path& p = entry.path();
      if (!entry.is_regular_file() || (p.extension() != ".cpp" && p.extension() != ".h"))
        continue;
      const std::string text = read_text(p);
      for (auto it = std::sregex_iterator(text.begin(), text.end(), kCall); it != std::sregex_iterator();
           ++it)
        codes.insert((*it)[1].str());
    }
  }
  return codes;
}

// The markdown section docs/diagnostics.md needs for a case, shown when it is missing.
std::string suggested_section(const Case& c, bool warning) {
  std::string out = "### `" + c.code + "` (" + (warning ? "warning" : "error") + ")\n\nWHAT IT MEANS\n\n";
  for (const auto& [name, text] : c.files)
    out += "`" + name + "`:\n\n```yaml\n" + text + "```\n\n";
  return out + "```text\n" + c.expected + "```\n";
}

// gtest prints a failing case by its name instead of its bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class Golden : public ::testing::TestWithParam<Case> {};

TEST_P(Golden, RendersExactly) {
  const Case& c = GetParam();
  const Outcome outcome = run_case(c);
  // SIGRUN_GOLDEN_OUTPUT=DIR also writes what each case rendered to DIR/<case>.txt, to review and paste
  // when a message changes on purpose.
  if (const char* dir = std::getenv("SIGRUN_GOLDEN_OUTPUT"); dir != nullptr && *dir != '\0')
    std::ofstream(fs::path(dir) / (c.name + ".txt"), std::ios::binary) << outcome.rendered;
  EXPECT_EQ(outcome.rendered, c.expected) << "case " << c.name << ": the rendered diagnostics differ";
  EXPECT_EQ(outcome.codes.count(c.code), 1u) << "case " << c.name << " does not produce " << c.code;
}

INSTANTIATE_TEST_SUITE_P(Diagnostics, Golden, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(GoldenCoverage, EveryCodeInTheSourcesHasACaseAndEveryCaseACode) {
  const std::set<std::string> in_sources = codes_in_sources();
  ASSERT_FALSE(in_sources.empty()) << "no diagnostic codes found under " << kSourceDir;
  std::set<std::string> covered;
  for (const Case& c : load_cases())
    covered.insert(c.code);
  for (const std::string& code : in_sources) {
    EXPECT_EQ(covered.count(code), 1u)
        << "diagnostic code '" << code << "' is emitted by the compiler but has no case in " << kCaseDir;
  }
  for (const std::string& code : covered) {
    EXPECT_EQ(in_sources.count(code), 1u)
        << "tests/golden/diagnostics has a case for '" << code << "', which the compiler no longer emits";
  }
}

TEST(GoldenCoverage, DocsQuoteEveryCase) {
  const std::string docs = read_text(kSourceDir / "docs" / "diagnostics.md");
  ASSERT_FALSE(docs.empty()) << "docs/diagnostics.md is missing";
  for (const Case& c : load_cases()) {
    const bool warning = c.expected.find(": warning: ") != std::string::npos &&
                         c.expected.find(": error: ") == std::string::npos;
    const std::string heading = "### `" + c.code + "` (" + (warning ? "warning" : "error") + ")\n";
    bool quoted = docs.find(heading) != std::string::npos && docs.find(c.expected) != std::string::npos;
    for (const auto& [name, text] : c.files)
      quoted = quoted && docs.find("```yaml\n" + text + "```\n") != std::string::npos;
    EXPECT_TRUE(quoted) << "docs/diagnostics.md lacks the section of '" << c.code
                        << "' or does not quote its case verbatim; expected something like:\n\n"
                        << suggested_section(c, warning);
  }
}

}  // namespace
