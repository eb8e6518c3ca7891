// IR lowering: Sigma string parsing, predicate hash-consing across rules, and the canonical dumps.
#include <gtest/gtest.h>

#include <string>

#include "codegen/codegen.h"
#include "frontend/frontend.h"
#include "ir/ir.h"
#include "ir/lower_ast.h"

namespace {

using sigrun::ir::parse_sigma_string;

std::string visible(const std::string& pattern) {
  std::string out;
  for (unsigned char c : pattern) {
    if (c == 0xFF) {
      out += "<*>";
    } else if (c == 0xFE) {
      out += "<?>";
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

TEST(ParseSigmaString, EscapesFollowTheSpecification) {
  EXPECT_EQ(visible(parse_sigma_string(R"(C:\Windows\System32\)")), R"(C:\Windows\System32\)");
  EXPECT_EQ(visible(parse_sigma_string(R"(\\)")), R"(\)");
  EXPECT_EQ(visible(parse_sigma_string(R"(\*)")), "*");
  EXPECT_EQ(visible(parse_sigma_string(R"(\\*)")), R"(\<*>)");
  EXPECT_EQ(visible(parse_sigma_string(R"(\\\*)")), R"(\*)");
  EXPECT_EQ(visible(parse_sigma_string(R"(\\\\)")), R"(\\)");
  EXPECT_EQ(visible(parse_sigma_string(R"(\\\a)")), R"(\\a)");
  EXPECT_EQ(visible(parse_sigma_string("a?b*")), "a<?>b<*>");
  EXPECT_EQ(visible(parse_sigma_string(R"(\?)")), "?");
  EXPECT_EQ(visible(parse_sigma_string("")), "");
}

// Compiles rule texts into one module and returns its dump.
std::string lower_all(const std::vector<std::string>& texts, sigrun::ir::Module& module) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  for (size_t i = 0; i < texts.size(); ++i) {
    const uint32_t file = sources.add_file("r" + std::to_string(i) + ".yml", texts[i]);
    for (const auto& doc : sigrun::frontend::load_yaml(file, sources.text(file), diags)) {
      auto rule = sigrun::frontend::read_rule(doc, sources.path(file), diags);
      EXPECT_TRUE(rule.has_value());
      if (rule) {
        EXPECT_TRUE(sigrun::ir::lower_rule(*rule, module, diags));
      }
    }
  }
  std::string rendered;
  for (const auto& d : diags.all())
    rendered += sigrun::diag::render(d, sources);
  EXPECT_EQ(diags.error_count(), 0u) << rendered;
  return sigrun::ir::dump(module);
}

TEST(Lowering, IdenticalPredicatesAreOneNodeAcrossRules) {
  const std::string a = R"(title: a
logsource: {product: aws, service: cloudtrail}
detection:
  sel:
    eventSource: organizations.amazonaws.com
    eventName: InviteAccountToOrganization
  condition: sel
)";
  const std::string b = R"(title: b
logsource: {product: aws, service: cloudtrail}
detection:
  sel:
    eventSource: organizations.amazonaws.com
    eventName: LeaveOrganization
  filter:
    errorCode|exists: true
  condition: sel and not filter
)";
  sigrun::ir::Module module;
  const std::string dump = lower_all({a, b}, module);
  EXPECT_EQ(dump,
            "field 0 eventSource\n"
            "field 1 eventName\n"
            "field 2 errorCode\n"
            "pred 0 str_eq field=0 \"organizations.amazonaws.com\"\n"
            "pred 1 str_eq field=1 \"InviteAccountToOrganization\"\n"
            "pred 2 str_eq field=1 \"LeaveOrganization\"\n"
            "pred 3 exists field=2\n"
            "node 0 pred 0\n"
            "node 1 pred 1\n"
            "node 2 and 0 1\n"
            "node 3 pred 2\n"
            "node 4 and 0 3\n"
            "node 5 pred 3\n"
            "node 6 not 5\n"
            "node 7 and 0 3 6\n"
            "rule 0 root=2 \"a\"\n"
            "rule 1 root=7 \"b\"\n");
}

TEST(Lowering, ModifiersChooseTheCheapestOperator) {
  const std::string rule = R"(title: m
logsource: {product: test}
detection:
  sel:
    a|contains: x
    b|startswith: y
    c|endswith: z
    d: 'p*q'
    e: '*only*'
    f|re|i: '^r$'
    g: 5
    h: null
    i: true
  condition: sel
)";
  sigrun::ir::Module module;
  const std::string dump = lower_all({rule}, module);
  EXPECT_NE(dump.find("str_contains field=0 \"x\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("str_prefix field=1 \"y\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("str_suffix field=2 \"z\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("str_glob field=3 \"p<*>q\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("str_contains field=4 \"only\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("regex field=5 \"^r$\" i"), std::string::npos) << dump;
  EXPECT_NE(dump.find("num_eq field=6 \"5\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("is_null field=7"), std::string::npos) << dump;
  EXPECT_NE(dump.find("bool_eq field=8 true"), std::string::npos) << dump;
}

TEST(Codegen, FoldsLiteralsAndMarksFoldedSlots) {
  const std::string rule = R"(title: c
logsource: {product: test}
detection:
  sel:
    a: 'MiXeD'
    b|cased: 'MiXeD'
    c: 4
  condition: sel
message: 'seen {{user.name|nobody}}'
)";
  sigrun::ir::Module module;
  lower_all({rule}, module);
  const sigrun::program::Program program = sigrun::codegen::lower_to_program(module);
  EXPECT_EQ(sigrun::program::verify(program), "");
  EXPECT_EQ(sigrun::program::dump(program),
            "field 0 a fold\n"
            "field 1 b\n"
            "field 2 c\n"
            "field 3 user.name\n"
            "operand 0 \"mixed\" flags=0\n"
            "operand 1 \"MiXeD\" flags=1\n"
            "operand 2 \"4\" flags=4\n"
            "pred 0 StrEq slot=0 operand=0\n"
            "pred 1 StrEq slot=1 operand=1\n"
            "pred 2 NumEq slot=2 operand=2\n"
            "node 0 pred 0\n"
            "node 1 pred 1\n"
            "node 2 pred 2\n"
            "node 3 and 0 1 2\n"
            "rule 0 root=3  \"c\"\n");
}

TEST(Context, SimplifiesAsItBuilds) {
  sigrun::ir::Context ctx;
  sigrun::ir::Predicate p;
  p.field = ctx.intern_field("f");
  p.op = sigrun::ir::PredicateOp::Exists;
  const auto a = ctx.make_predicate_node(ctx.intern_predicate(p));
  EXPECT_EQ(ctx.make_not(ctx.make_not(a)), a);
  EXPECT_EQ(ctx.make_and({a}), a);
  EXPECT_EQ(ctx.make_and({a, ctx.make_constant(true)}), a);
  EXPECT_EQ(ctx.make_or({a, ctx.make_constant(true)}), ctx.make_constant(true));
  EXPECT_EQ(ctx.make_and({a, a}), a);
  EXPECT_EQ(ctx.make_and({}), ctx.make_constant(true));
  EXPECT_EQ(ctx.make_or({}), ctx.make_constant(false));
  EXPECT_EQ(ctx.intern_predicate(p), ctx.intern_predicate(p));
}

}  // namespace
