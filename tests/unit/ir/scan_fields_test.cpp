// Scanner::scan_fields: events given as already-extracted fields match exactly as the same events given
// as JSON, with both engines (arrays, case folding, keywords, absent and null fields).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sigrun/compiler/compiler.h"

namespace {

using Field = sigrun::Scanner::FieldValue;

const char* const kRules = R"(title: invite
logsource: {product: test}
detection:
  sel:
    eventSource: organizations.amazonaws.com
    eventName: InviteAccountToOrganization
  condition: sel
message: 'by {{userIdentity.arn|nobody}}'
---
title: tagged admin
logsource: {product: test}
detection:
  sel:
    tags|contains: admin
  filter:
    owner: null
  condition: sel and not filter
---
title: keyword
logsource: {product: test}
detection:
  keywords:
    - 'mimikatz'
  condition: keywords
---
title: number
logsource: {product: test}
detection:
  sel:
    EventID: 4688
  condition: sel
)";

struct Case {
  std::string json;
  std::vector<Field> fields;
};

std::vector<std::string> titles(sigrun::Scanner& scanner, const Case& c, bool from_fields,
                                std::string* message) {
  std::vector<std::string> out;
  const auto sink = [&](const sigrun::Match& m) {
    out.push_back(m.rule->title);
    if (message && m.rule->title == "invite")
      *message = std::string(m.message);
  };
  if (from_fields) {
    scanner.scan_fields(c.fields, 1, sink);
  } else {
    EXPECT_TRUE(scanner.scan(c.json, 1, sink));
  }
  return out;
}

TEST(ScanFields, MatchesExactlyAsTheSameEventInJson) {
  const std::vector<Case> cases = {
      {R"({"eventSource":"ORGANIZATIONS.amazonaws.com","eventName":"InviteAccountToOrganization","userIdentity":{"arn":"arn:x"}})",
       {{"eventSource", "ORGANIZATIONS.amazonaws.com"},
        {"eventName", "InviteAccountToOrganization"},
        {"userIdentity.arn", "arn:x"}}},
      {R"({"eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization"})",
       {{"eventSource", "organizations.amazonaws.com"}, {"eventName", "LeaveOrganization"}}},
      {R"({"tags":["user","Administrators"],"owner":"bob"})",
       {{"tags", "user"}, {"tags", "Administrators"}, {"owner", "bob"}}},
      {R"({"tags":["Administrators"],"owner":null})",
       {{"tags", "Administrators"}, {"owner", "null", kSigrunNull}}},
      {R"({"cmd":"run MIMIKATZ.exe"})", {{"cmd", "run MIMIKATZ.exe"}}},
      {R"({"EventID":4688})", {{"EventID", "4688", kSigrunNumber}}},
      {R"({"EventID":"4689"})", {{"EventID", "4689"}}},
      {R"({})", {}},
  };
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  auto compilation = sigrun::compiler::compile_rule_text("rules.yml", kRules, sources, diags);
  ASSERT_EQ(diags.error_count(), 0u);
  size_t matched = 0;
  for (auto backend : {sigrun::compiler::Backend::Interpreter, sigrun::compiler::Backend::Jit}) {
    if (backend == sigrun::compiler::Backend::Jit && !sigrun::compiler::jit_available())
      continue;
    auto engine = sigrun::compiler::make_engine(compilation.program, backend);
    ASSERT_TRUE(engine) << engine.error().message;
    sigrun::Scanner scanner(engine.value());
    for (const Case& c : cases) {
      std::string from_json_message;
      std::string from_fields_message;
      const auto expected = titles(scanner, c, false, &from_json_message);
      const auto actual = titles(scanner, c, true, &from_fields_message);
      EXPECT_EQ(actual, expected) << c.json;
      EXPECT_EQ(from_fields_message, from_json_message) << c.json;
      matched += expected.size();
    }
  }
  // invite, tagged admin, keyword and number each match once per engine.
  EXPECT_EQ(matched, sigrun::compiler::jit_available() ? 8u : 4u);
}

}  // namespace
