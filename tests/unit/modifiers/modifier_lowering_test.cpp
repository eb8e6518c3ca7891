// How modifiers lower: the IR and program dumps of each new predicate, the placeholders file and its
// diagnostics, and the compiler API's placeholder options.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "codegen/codegen.h"
#include "driver/placeholders.h"
#include "frontend/frontend.h"
#include "ir/ir.h"
#include "ir/lower_ast.h"
#include "sigrun/compiler/compiler.h"

namespace {

std::string rule_with(const std::string& items) {
  return "title: t\nlogsource: {product: test}\ndetection:\n  sel:\n" + items + "  condition: sel\n";
}

// The IR dump of one rule, which must lower without errors.
std::string ir_of(const std::string& text, const sigrun::ir::RuleContext& context = {}) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  sigrun::ir::Module module;
  const uint32_t file = sources.add_file("r.yml", text);
  for (const auto& doc : sigrun::frontend::load_yaml(file, sources.text(file), diags)) {
    auto rule = sigrun::frontend::read_rule(doc, "r.yml", diags);
    if (rule)
      sigrun::ir::lower_rule(*rule, module, diags, context);
  }
  std::string rendered;
  for (const auto& d : diags.all())
    rendered += sigrun::diag::render(d, sources);
  EXPECT_EQ(diags.error_count(), 0u) << rendered;
  return sigrun::ir::dump(module);
}

std::string program_of(const std::string& text) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  auto compilation = sigrun::compiler::compile_rule_text("r.yml", text, sources, diags);
  EXPECT_EQ(diags.error_count(), 0u);
  return sigrun::program::dump(compilation.program);
}

TEST(ModifierLowering, WindashMakesOneLiteralPerVariant) {
  EXPECT_EQ(ir_of(rule_with("    f|contains|windash: ' -x'\n")),
            "field 0 f\n"
            "pred 0 str_contains field=0 \" -x\"\n"
            "pred 1 str_contains field=0 \" /x\"\n"
            "pred 2 str_contains field=0 \" –x\"\n"
            "pred 3 str_contains field=0 \" —x\"\n"
            "pred 4 str_contains field=0 \" ―x\"\n"
            "node 0 pred 0\nnode 1 pred 1\nnode 2 pred 2\nnode 3 pred 3\nnode 4 pred 4\n"
            "node 5 or 0 1 2 3 4\n"
            "rule 0 root=5 \"t\"\n");
}

TEST(ModifierLowering, EncodingsAreLiteralsAtCompileTime) {
  EXPECT_EQ(ir_of(rule_with("    f|wide|base64offset|contains: 'ab'\n")),
            "field 0 f\n"
            "pred 0 str_contains field=0 \"YQBiA\"\n"
            "pred 1 str_contains field=0 \"EAYg\"\n"
            "pred 2 str_contains field=0 \"hAGIA\"\n"
            "node 0 pred 0\nnode 1 pred 1\nnode 2 pred 2\n"
            "node 3 or 0 1 2\n"
            "rule 0 root=3 \"t\"\n");
}

TEST(ModifierLowering, ComparisonsNetworksTimesAndFieldReferences) {
  EXPECT_EQ(ir_of(rule_with("    n|gte: 5\n"
                            "    ip|cidr: 'fe80::/10'\n"
                            "    ts|hour|lt: 6\n"
                            "    ts|week: 1\n"
                            "    a|fieldref|endswith: b\n"
                            "    c|neq|cased|fieldref: d\n")),
            "field 0 n\nfield 1 ip\nfield 2 ts\nfield 3 a\nfield 4 b\nfield 5 c\nfield 6 d\n"
            "pred 0 num_compare field=0 gte 5\n"
            "pred 1 cidr field=1 \"fe80::/10\"\n"
            "pred 2 time_part field=2 hour lt 6\n"
            "pred 3 time_part field=2 week eq 1\n"
            "pred 4 field_suffix field=3 other=4\n"
            "pred 5 field_eq field=5 other=6 cased\n"
            "node 0 pred 0\nnode 1 pred 1\nnode 2 pred 2\nnode 3 pred 3\nnode 4 pred 4\nnode 5 pred 5\n"
            "node 6 not 5\n"
            "node 7 and 0 1 2 3 4 6\n"
            "rule 0 root=7 \"t\"\n");
}

TEST(ModifierLowering, ProgramCarriesParsedNetworksAndFlags) {
  const std::string dump =
      program_of(rule_with("    ip|cidr: '10.0.0.0/8'\n"
                           "    ts|hour|gte: 18\n"
                           "    a|fieldref|contains: b\n"));
  EXPECT_NE(dump.find("operand 0 \"\\x0a\\x00\\x00\\x00\" flags=0\n"), std::string::npos) << dump;
  EXPECT_NE(dump.find("pred 0 Cidr slot=0 operand=0\n"), std::string::npos) << dump;
  // gte (2) in the comparison bits, hour (1) in the component bits.
  EXPECT_NE(dump.find("operand 1 \"18\" flags=" + std::to_string(2u << 4 | 1u << 8) + "\n"),
            std::string::npos)
      << dump;
  EXPECT_NE(dump.find("pred 2 FieldContains slot=2 other=3 operand=2\n"), std::string::npos) << dump;
  // Both fields of a case-insensitive field reference are folded.
  EXPECT_NE(dump.find("field 2 a fold\nfield 3 b fold\n"), std::string::npos) << dump;
}

TEST(ModifierLowering, ProgramDumpEscapesBinaryLiterals) {
  const std::string dump =
      program_of(rule_with("    f|wide|cased: 'é'\n"
                           "    g: 'ärger'\n"));
  EXPECT_NE(dump.find("\"\\xe9\\x00\" flags=1"), std::string::npos) << dump;
  EXPECT_NE(dump.find("\"ärger\""), std::string::npos) << dump;
}

TEST(ModifierLowering, ExpandUsesTheContextsValues) {
  const std::map<std::string, std::vector<std::string>> values = {{"who", {"root", "admin*"}}};
  sigrun::ir::RuleContext context;
  context.placeholders = &values;
  EXPECT_EQ(ir_of(rule_with("    u|expand: '%who%'\n"), context),
            "field 0 u\n"
            "pred 0 str_eq field=0 \"root\"\n"
            "pred 1 str_prefix field=0 \"admin\"\n"
            "node 0 pred 0\nnode 1 pred 1\nnode 2 or 0 1\n"
            "rule 0 root=2 \"t\"\n");
}

struct Loaded {
  sigrun::compiler::detail::PlaceholderMap values;
  std::string rendered;
  bool ok = false;
};

Loaded load(const std::string& text) {
  Loaded out;
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  out.ok = sigrun::compiler::detail::read_placeholders_text("p.yml", text, sources, diags, out.values);
  for (const auto& d : diags.all())
    out.rendered += sigrun::diag::render(d, sources);
  return out;
}

TEST(PlaceholdersFile, ReadsValuesAndLists) {
  const Loaded loaded = load("admins: [root, 'Domain Admins', 42]\n'%dc%': dc01\nempty_file_ok: x\n");
  ASSERT_TRUE(loaded.ok) << loaded.rendered;
  EXPECT_EQ(loaded.values.at("admins"), (std::vector<std::string>{"root", "Domain Admins", "42"}));
  EXPECT_EQ(loaded.values.at("dc"), std::vector<std::string>{"dc01"});
  EXPECT_TRUE(load("").ok);
}

TEST(PlaceholdersFile, ReportsMalformedFilesWithPositions) {
  EXPECT_EQ(load("- a\n- b\n").rendered,
            "p.yml:1:1: error: expected a map of placeholder names to a value or a list of values, found a "
            "list [placeholders-file]\n- a\n^\n");
  EXPECT_EQ(load("a: [x, {b: c}]\n").rendered,
            "p.yml:1:8: error: expected a string or a number as a value of placeholder 'a', found a map "
            "[placeholders-file]\na: [x, {b: c}]\n       ^\n");
  EXPECT_EQ(
      load("a: []\n").rendered,
      "p.yml:1:4: error: placeholder 'a' has an empty list of values [placeholders-file]\na: []\n   ^\n");
  EXPECT_EQ(load("a:\n").rendered,
            "p.yml:1:1: error: placeholder 'a' has no value [placeholders-file]\na:\n^\n");
  EXPECT_EQ(load("a: [x, null]\n").rendered,
            "p.yml:1:8: error: expected a string or a number as a value of placeholder 'a', found null "
            "[placeholders-file]\na: [x, null]\n       ^\n");
  EXPECT_FALSE(load("a: [x\n").ok);
}

TEST(CompileOptions, PlaceholdersFromAFileAndFromMemory) {
  namespace fs = std::filesystem;
  const fs::path file =
      fs::temp_directory_path() / ("sigrun_placeholders_" + std::to_string(::getpid()) + ".yml");
  std::ofstream(file) << "who: [root, admin]\nsite: file\n";
  const std::string rule = rule_with("    u|expand: '%who%@%site%'\n");

  sigrun::compiler::CompileOptions options;
  options.placeholders_path = file.string();
  options.placeholders["site"] = {"memory"};
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  auto compilation = sigrun::compiler::compile_rule_text("r.yml", rule, sources, diags, options);
  ASSERT_EQ(diags.error_count(), 0u);
  auto engine =
      sigrun::compiler::make_engine(std::move(compilation.program), sigrun::compiler::Backend::Interpreter);
  ASSERT_TRUE(engine);
  sigrun::Scanner scanner(engine.value());
  auto matches = [&](const std::string& event) {
    bool matched = false;
    EXPECT_TRUE(scanner.scan(event, 1, [&](const sigrun::Match&) { matched = true; }));
    return matched;
  };
  EXPECT_TRUE(matches(R"({"u":"admin@memory"})"));
  EXPECT_FALSE(matches(R"({"u":"admin@file"})"));

  // A missing file is reported; the rule's placeholder then has no values.
  sigrun::diag::SourceManager sources2;
  sigrun::diag::DiagnosticEngine diags2;
  options.placeholders_path = (fs::temp_directory_path() / "sigrun_no_such_placeholders.yml").string();
  options.placeholders.clear();
  sigrun::compiler::compile_rule_text("r.yml", rule, sources2, diags2, options);
  std::string codes;
  for (const auto& d : diags2.all())
    codes += d.code + " ";
  EXPECT_EQ(codes, "file-unreadable placeholder-unresolved ");
  fs::remove(file);
}

}  // namespace
