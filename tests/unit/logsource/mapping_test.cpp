// Log-source mappings (compiler/logsource): reading mapping files (every error with its exact rendering and
// position), which entries apply to a rule, routing with declared log sources, and the shipped mappings.
#include "logsource/mapping.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using sigrun::logsource::LogSourceKey;
using sigrun::logsource::MappingSet;
using sigrun::logsource::RouteKind;

struct Loaded {
  MappingSet set;
  bool ok = false;
  std::string rendered;
};

Loaded load(const std::string& text) {
  Loaded out;
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  out.ok = sigrun::logsource::load_mapping_text("m.yml", text, sources, diags, out.set);
  for (const auto& d : diags.all())
    out.rendered += sigrun::diag::render(d, sources);
  return out;
}

sigrun::ast::LogSource logsource(const std::string& product, const std::string& category,
                                 const std::string& service) {
  sigrun::ast::LogSource ls;
  ls.product = product;
  ls.category = category;
  ls.service = service;
  return ls;
}

std::vector<std::string> names(const std::vector<const sigrun::logsource::Entry*>& entries) {
  std::vector<std::string> out;
  for (const auto* e : entries)
    out.push_back(e->name);
  return out;
}

TEST(MappingReader, ReadsEntriesConditionsAndRenames) {
  const Loaded m = load(
      "title: test\n"
      "logsources:\n"
      "  pc_sysmon:\n"
      "    product: windows\n"
      "    category: process_creation\n"
      "    conditions:\n"
      "      Channel: Microsoft-Windows-Sysmon/Operational\n"
      "      EventID: 1\n"
      "  pc_security:\n"
      "    product: windows\n"
      "    category: process_creation\n"
      "    conditions:\n"
      "      - {Channel: Security, EventID: 4688}\n"
      "      - {Channel: security, EventID: '4688', Flag|exists: true}\n"
      "    fieldmappings:\n"
      "      ParentImage: ParentProcessName\n"
      "      Image: NewProcessName\n"
      "---\n"
      "logsources:\n"
      "  proxy: {category: proxy, conditions: {c-uri|exists: true}}\n");
  EXPECT_TRUE(m.ok) << m.rendered;
  EXPECT_EQ(m.rendered, "");
  EXPECT_EQ(sigrun::logsource::dump(m.set),
            "pc_sysmon [product=windows category=process_creation] when {Channel: "
            "'Microsoft-Windows-Sysmon/Operational', EventID: 1}\n"
            "pc_security [product=windows category=process_creation] when {Channel: 'Security', EventID: "
            "4688} or {Channel: 'security', EventID: '4688', Flag|exists: true} renames "
            "Image->NewProcessName ParentImage->ParentProcessName\n"
            "proxy [category=proxy] when {c-uri|exists: true}\n");
  ASSERT_EQ(m.set.entries.size(), 3u);
  EXPECT_EQ(m.set.entries[1].location.line, 9u);
  EXPECT_EQ(m.set.entries[1].location.column, 3u);
}

TEST(MappingReader, ReportsEachProblemWithItsPosition) {
  const Loaded m = load(
      "logsources:\n"
      "  no_conditions:\n"
      "    product: windows\n"
      "  no_key:\n"
      "    conditions: {EventID: 1}\n"
      "  typo:\n"
      "    product: windows\n"
      "    condition: {EventID: 1}\n"
      "    conditions: {EventID: 1}\n"
      "  keywords:\n"
      "    product: windows\n"
      "    conditions: [a, b]\n"
      "  rename_list:\n"
      "    product: windows\n"
      "    conditions: {EventID: 1}\n"
      "    fieldmappings: {Image: [a, b], 'x|contains': y}\n"
      "  good:\n"
      "    product: windows\n"
      "    conditions: {EventID: 2}\n"
      "index: foo\n");
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(
      m.rendered,
      "m.yml:20:1: error: unknown attribute 'index'; expected 'title', 'description' or 'logsources' "
      "[mapping-unknown-attribute]\n"
      "index: foo\n"
      "^\n"
      "m.yml:2:3: error: missing required attribute 'conditions' in entry 'no_conditions' (the field "
      "values that identify the log source's events) [mapping-missing-attribute]\n"
      "  no_conditions:\n"
      "  ^\n"
      "m.yml:4:3: error: entry 'no_key' sets none of 'product', 'category' and 'service' "
      "[mapping-entry-logsource]\n"
      "  no_key:\n"
      "  ^\n"
      "m.yml:8:5: error: unknown attribute 'condition' in a mapping entry; expected 'product', "
      "'category', 'service', 'conditions', 'fieldmappings' or 'description' [mapping-unknown-attribute]\n"
      "    condition: {EventID: 1}\n"
      "    ^\n"
      "m.yml:12:17: error: expected a map of field items or a list of such maps for 'conditions', found "
      "a list that is not of maps [mapping-condition-shape]\n"
      "    conditions: [a, b]\n"
      "                ^\n"
      "m.yml:16:28: error: expected one event field name for 'Image' in 'fieldmappings', found a list "
      "[mapping-rename]\n"
      "    fieldmappings: {Image: [a, b], 'x|contains': y}\n"
      "                           ^\n"
      "m.yml:16:36: error: expected a field name without modifiers in 'fieldmappings', found "
      "'x|contains' [mapping-rename]\n"
      "    fieldmappings: {Image: [a, b], 'x|contains': y}\n"
      "                                   ^\n");
  // Entries with errors are left out; the others are kept.
  EXPECT_EQ(sigrun::logsource::dump(m.set), "good [product=windows] when {EventID: 2}\n");
}

TEST(MappingReader, YamlAndDetectionErrorsKeepTheirCodes) {
  const Loaded dup = load("logsources:\n  a: {product: x, conditions: {f: 1, f: 2}}\n");
  EXPECT_NE(dup.rendered.find("m.yml:2:38: error: "), std::string::npos) << dup.rendered;
  EXPECT_NE(dup.rendered.find("[yaml-duplicate-key]"), std::string::npos) << dup.rendered;
  const Loaded value = load("logsources:\n  a: {product: x, conditions: {f: {g: 1}}}\n");
  EXPECT_NE(value.rendered.find("m.yml:2:35: error: expected a value or a list of values for field 'f', "
                                "found a map [detection-value-type]"),
            std::string::npos)
      << value.rendered;
  const Loaded top = load("- a\n");
  EXPECT_EQ(top.rendered,
            "m.yml:1:1: error: expected a map with 'logsources' in a mapping file, found a list "
            "[mapping-document-type]\n- a\n^\n");
  const Loaded missing = load("title: x\n");
  EXPECT_NE(missing.rendered.find("m.yml:1:1: error: missing required attribute 'logsources'"),
            std::string::npos)
      << missing.rendered;
}

TEST(MappingReader, UnreadableFileIsADiagnostic) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  MappingSet set;
  EXPECT_FALSE(sigrun::logsource::load_mapping_file("/nonexistent/m.yml", sources, diags, set));
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].code, "file-unreadable");
}

const char* const kResolution =
    "logsources:\n"
    "  pc_sysmon: {product: windows, category: process_creation, conditions: {EventID: 1}}\n"
    "  pc_security: {product: windows, category: process_creation, conditions: {EventID: 4688}}\n"
    "  windows_any: {product: windows, conditions: {Channel|exists: true}}\n"
    "  security: {product: windows, service: security, conditions: {Channel: Security}}\n"
    "  av_any: {category: antivirus, conditions: {EventID: 1116}}\n"
    "  proxy_any: {category: proxy, conditions: {c-uri|exists: true}}\n"
    "  proxy_zeek: {product: zeek, category: proxy, conditions: {_path: http}}\n"
    "  cloudtrail: {product: aws, service: cloudtrail, conditions: {eventSource|exists: true}}\n"
    "  k8s: {product: kubernetes, service: audit, conditions: {kind: Event}}\n";

TEST(Resolution, CategoryAndServiceMatchExactlyAndTheProductMayBeOpen) {
  const Loaded m = load(kResolution);
  ASSERT_TRUE(m.ok) << m.rendered;
  const auto match = [&](const std::string& p, const std::string& c, const std::string& s) {
    return names(sigrun::logsource::matching_entries(LogSourceKey{p, c, s}, m.set));
  };
  using V = std::vector<std::string>;
  // Two entries for one pair: both apply (ORed), in file order.
  EXPECT_EQ(match("windows", "process_creation", ""), (V{"pc_sysmon", "pc_security"}));
  // The product-only entry is not a fallback for categories or services it does not name.
  EXPECT_EQ(match("windows", "file_access", ""), V{});
  EXPECT_EQ(match("windows", "", ""), V{"windows_any"});
  EXPECT_EQ(match("windows", "", "security"), V{"security"});
  EXPECT_EQ(match("windows", "", "system"), V{});
  EXPECT_EQ(match("aws", "", "cloudtrail"), V{"cloudtrail"});
  // Only product + service: a rule that also sets a category is another log source.
  EXPECT_EQ(match("kubernetes", "application", "audit"), V{});
  // An entry without product serves rules of any product, and rules without product...
  EXPECT_EQ(match("", "antivirus", ""), V{"av_any"});
  EXPECT_EQ(match("windows", "antivirus", ""), V{"av_any"});
  EXPECT_EQ(match("", "proxy", ""), V{"proxy_any"});
  // ...unless an entry names the rule's product: the more specific entry wins.
  EXPECT_EQ(match("zeek", "proxy", ""), V{"proxy_zeek"});
  // An entry with a product never serves a rule without one.
  EXPECT_EQ(match("", "", "cloudtrail"), V{});
}

TEST(Resolution, DeclaredLogSourcesRunTheirRulesOnEveryEvent) {
  const Loaded m = load(kResolution);
  ASSERT_TRUE(m.ok) << m.rendered;
  const std::vector<LogSourceKey> zeek_http = {{"zeek", "", "http"}};
  const auto kind = [&](const sigrun::ast::LogSource& ls, const std::vector<LogSourceKey>& declared) {
    return sigrun::logsource::route(ls, m.set, declared).kind;
  };
  // Every attribute the rule sets equals the declaration's: every event of the stream is the rule's.
  EXPECT_EQ(kind(logsource("zeek", "", "http"), zeek_http), RouteKind::EveryEvent);
  EXPECT_EQ(kind(logsource("zeek", "", ""), zeek_http), RouteKind::EveryEvent);
  // The rule sets an attribute to another value: none of the stream's events are its.
  EXPECT_EQ(kind(logsource("zeek", "", "dns"), zeek_http), RouteKind::OtherSource);
  EXPECT_EQ(kind(logsource("windows", "process_creation", ""), zeek_http), RouteKind::OtherSource);
  // The rule narrows the declared source (a category the stream may contain): its mapping decides.
  EXPECT_EQ(kind(logsource("zeek", "proxy", ""), zeek_http), RouteKind::Mapped);
  EXPECT_EQ(kind(logsource("", "webserver", ""), zeek_http), RouteKind::Unmapped);
  const std::vector<LogSourceKey> windows = {{"windows", "", ""}};
  EXPECT_EQ(kind(logsource("windows", "process_creation", ""), windows), RouteKind::Mapped);
  EXPECT_EQ(kind(logsource("windows", "", ""), windows), RouteKind::EveryEvent);
  // Several declarations: a stream of each.
  const std::vector<LogSourceKey> both = {{"zeek", "", "http"}, {"aws", "", "cloudtrail"}};
  EXPECT_EQ(kind(logsource("aws", "", "cloudtrail"), both), RouteKind::EveryEvent);
  EXPECT_EQ(kind(logsource("zeek", "", "http"), both), RouteKind::EveryEvent);
  EXPECT_EQ(kind(logsource("okta", "", "okta"), both), RouteKind::OtherSource);
  // No declaration: mapped or not.
  EXPECT_EQ(kind(logsource("windows", "process_creation", ""), {}), RouteKind::Mapped);
  EXPECT_EQ(kind(logsource("macos", "process_creation", ""), {}), RouteKind::Unmapped);
  // A declared rule keeps its entries for their renames.
  const auto declared = sigrun::logsource::route(logsource("windows", "process_creation", ""), m.set,
                                                 {{"windows", "process_creation", ""}});
  EXPECT_EQ(declared.kind, RouteKind::EveryEvent);
  EXPECT_EQ(names(declared.entries), (std::vector<std::string>{"pc_sysmon", "pc_security"}));
}

TEST(ShippedMappings, LoadWithoutErrors) {
  const fs::path dir = fs::path(SIGRUN_SOURCE_DIR) / "mappings";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  MappingSet set;
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yml")
      continue;
    ++files;
    sigrun::logsource::load_mapping_file(entry.path().string(), sources, diags, set);
  }
  std::string rendered;
  for (const auto& d : diags.all())
    rendered += sigrun::diag::render(d, sources);
  EXPECT_EQ(rendered, "");
  EXPECT_GE(files, 5u);
  EXPECT_GE(set.entries.size(), 100u);
  const auto pc = names(sigrun::logsource::matching_entries({"windows", "process_creation", ""}, set));
  EXPECT_EQ(pc, (std::vector<std::string>{"process_creation_sysmon", "process_creation_security"}));
}

}  // namespace
