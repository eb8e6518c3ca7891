// frontend::read_filter and read_source_text: filter documents read into ast::Filter (rules, log source,
// identifiers, condition), each problem with its exact rendering, and rules and filters told apart.
#include <gtest/gtest.h>

#include <string>

#include "frontend/frontend.h"

namespace {

struct Read {
  sigrun::frontend::SourceFile file;
  std::string rendered;
};

Read read(const std::string& text) {
  Read out;
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  out.file = sigrun::frontend::read_source_text("f.yml", text, sources, diags);
  for (const auto& d : diags.all())
    out.rendered += sigrun::diag::render(d, sources);
  return out;
}

TEST(FilterReader, ReadsAFilterDocumentBesideARule) {
  const Read r = read(
      "title: rule\n"
      "logsource: {product: windows}\n"
      "detection: {sel: {a: 1}, condition: sel}\n"
      "---\n"
      "title: Filter admins\n"
      "id: 8f3a\n"
      "name: filter_admins\n"
      "date: 2024-01-01\n"
      "logsource: {product: windows, category: process_creation}\n"
      "filter:\n"
      "  rules:\n"
      "    - 5013332f-8a70-4e04-bcc1-06a98a2cca2e\n"
      "    - some_rule_name\n"
      "  selection: {User|startswith: adm_}\n"
      "  condition: not selection\n");
  EXPECT_EQ(r.rendered, "");
  ASSERT_EQ(r.file.rules.size(), 1u);
  ASSERT_EQ(r.file.filters.size(), 1u);
  const sigrun::ast::Filter& f = r.file.filters[0];
  EXPECT_EQ(f.title, "Filter admins");
  EXPECT_EQ(f.id, "8f3a");
  EXPECT_EQ(f.name, "filter_admins");
  EXPECT_EQ(f.logsource.category, "process_creation");
  EXPECT_FALSE(f.all_rules);
  ASSERT_EQ(f.rules.size(), 2u);
  EXPECT_EQ(f.rules[1].reference, "some_rule_name");
  EXPECT_EQ(f.rules[1].location.line, 13u);
  EXPECT_EQ(f.rules[1].location.column, 7u);
  ASSERT_EQ(f.detection.size(), 1u);
  EXPECT_EQ(f.detection[0].name, "selection");
  ASSERT_EQ(f.conditions.size(), 1u);
  EXPECT_EQ(sigrun::ast::dump(f.conditions[0].root), "(not selection)");
}

TEST(FilterReader, AnyAndTheEmptyListSelectEveryRule) {
  const Read any =
      read("title: f\nlogsource: {product: p}\nfilter: {rules: any, s: {a: 1}, condition: not s}\n");
  ASSERT_EQ(any.file.filters.size(), 1u) << any.rendered;
  EXPECT_TRUE(any.file.filters[0].all_rules);
  const Read empty =
      read("title: f\nlogsource: {product: p}\nfilter: {rules: [], s: {a: 1}, condition: not s}\n");
  ASSERT_EQ(empty.file.filters.size(), 1u) << empty.rendered;
  EXPECT_TRUE(empty.file.filters[0].all_rules);
  const Read one =
      read("title: f\nlogsource: {product: p}\nfilter: {rules: r1, s: {a: 1}, condition: not s}\n");
  ASSERT_EQ(one.file.filters.size(), 1u) << one.rendered;
  EXPECT_FALSE(one.file.filters[0].all_rules);
  ASSERT_EQ(one.file.filters[0].rules.size(), 1u);
  EXPECT_EQ(one.file.filters[0].rules[0].reference, "r1");
}

TEST(FilterReader, ReportsEachProblemWithItsPosition) {
  const Read r = read(
      "logsource: product\n"
      "filter:\n"
      "  rules: [r1, {x: 1}]\n"
      "  s: {a: 1}\n");
  EXPECT_TRUE(r.file.filters.empty());
  EXPECT_EQ(
      r.rendered,
      "f.yml:1:12: error: expected a map for 'logsource', found a string [filter-attribute-type]\n"
      "logsource: product\n"
      "           ^\n"
      "f.yml:1:1: error: missing required attribute 'title' [filter-missing-attribute]\n"
      "logsource: product\n"
      "^\n"
      "f.yml:3:15: error: expected a rule id or name in 'rules', found a map [filter-attribute-type]\n"
      "  rules: [r1, {x: 1}]\n"
      "              ^\n"
      "f.yml:2:1: error: missing required attribute 'condition' in 'filter' [filter-missing-attribute]\n"
      "filter:\n"
      "^\n");
  const Read shape = read("title: f\nlogsource: {product: p}\nfilter: [a]\n");
  EXPECT_EQ(shape.rendered,
            "f.yml:3:9: error: expected a map of 'rules', search identifiers and 'condition' for 'filter', "
            "found a list [filter-attribute-type]\n"
            "filter: [a]\n"
            "        ^\n");
}

TEST(FilterReader, ReadRuleStillRejectsFilterDocuments) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const uint32_t file = sources.add_file("f.yml", "title: f\nfilter: {rules: any, condition: x}\n");
  const auto docs = sigrun::frontend::load_yaml(file, sources.text(file), diags);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_TRUE(sigrun::frontend::is_filter_document(docs[0]));
  EXPECT_FALSE(sigrun::frontend::read_rule(docs[0], "f.yml", diags));
  ASSERT_FALSE(diags.all().empty());
  EXPECT_EQ(diags.all().back().code, "rule-unsupported-document");
}

}  // namespace
