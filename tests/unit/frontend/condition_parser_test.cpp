// The condition parser: golden dumps (also after changing the whitespace), whole-word operators, every
// error with its exact message and column, Sigma v1 pipes, and the nesting limit.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "frontend/frontend.h"

namespace {

struct Parsed {
  std::optional<sigrun::ast::ConditionNode> root;
  std::string dump;
  std::string rendered;
  size_t errors = 0;
};

// Parses `condition` as if it were at line 1, column 12 of file "c.yml" holding it after `condition: `.
Parsed parse(const std::string& condition) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const uint32_t file = sources.add_file("c.yml", "condition: " + condition + "\n");
  Parsed out;
  out.root = sigrun::frontend::parse_condition(condition, {file, 1, 12}, diags);
  if (out.root) {
    out.dump = sigrun::ast::dump(*out.root);
  }
  for (const auto& d : diags.all()) {
    out.rendered += sigrun::diag::render(d, sources);
  }
  out.errors = diags.error_count();
  return out;
}

// The same condition with other whitespace between tokens: tabs, line breaks and doubled spaces; leading
// and trailing whitespace; no space next to parentheses.
std::vector<std::string> respaced(const std::string& condition) {
  std::string wide;
  std::string tight;
  for (size_t i = 0; i < condition.size(); ++i) {
    const char c = condition[i];
    const bool next_to_paren =
        (i > 0 && (condition[i - 1] == '(' || condition[i - 1] == ')')) ||
        (i + 1 < condition.size() && (condition[i + 1] == '(' || condition[i + 1] == ')'));
    if (c == ' ') {
      wide += " \t\n  ";
      if (!next_to_paren) {
        tight += ' ';
      }
    } else if (c == '(' || c == ')') {
      wide += std::string(" ") + c + "\n";
      tight += c;
    } else {
      wide += c;
      tight += c;
    }
  }
  return {wide, "\n\t " + condition + " \r\n", tight};
}

const std::vector<std::pair<std::string, std::string>> kGolden = {
    {"sel", "sel"},
    {"a or b and not c", "(a or (b and (not c)))"},
    {"a and b or c", "((a and b) or c)"},
    {"a and (b or c)", "(a and (b or c))"},
    {"a and b and c", "(a and b and c)"},
    {"a or b or c or d", "(a or b or c or d)"},
    {"a and b and c or d and e", "((a and b and c) or (d and e))"},
    {"(a and b) and c", "((a and b) and c)"},
    {"((sel))", "sel"},
    {"not a", "(not a)"},
    {"not not a", "(not (not a))"},
    {"not a and b", "((not a) and b)"},
    {"not (a and b)", "(not (a and b))"},
    {"1 of sel*", "(1 of sel*)"},
    {"any of sel*", "(1 of sel*)"},
    {"all of sel_*", "(all of sel_*)"},
    {"1 of them", "(1 of them)"},
    {"all of them", "(all of them)"},
    {"1 of *", "(1 of *)"},
    {"1 of sel and not 1 of filter*", "((1 of sel) and (not (1 of filter*)))"},
    {"selection and not 1 of filter_main_* and not 1 of filter_optional_*",
     "(selection and (not (1 of filter_main_*)) and (not (1 of filter_optional_*)))"},
    {"all of selection_* or 1 of them", "((all of selection_*) or (1 of them))"},
    {"not all of them", "(not (all of them))"},
    {"(1 of sel*)", "(1 of sel*)"},
    // Operators are whole words: these are identifiers.
    {"notepad", "notepad"},
    {"not_filter", "not_filter"},
    {"android and order", "(android and order)"},
    {"oracle or andromeda", "(oracle or andromeda)"},
    {"nothing and not notepad", "(nothing and (not notepad))"},
    {"anyone or allowed", "(anyone or allowed)"},
    {"1of", "1of"},
    {"them", "them"},
    // Identifier characters: letters, digits, '_', '.', '-'.
    {"filter_main_mdadm.conf or sel-2", "(filter_main_mdadm.conf or sel-2)"},
    {"Sel1 and SEL_2", "(Sel1 and SEL_2)"},
    {"not(a)and(b)", "((not a) and b)"},
};

TEST(ConditionParser, GoldenDumps) {
  for (const auto& [condition, expected] : kGolden) {
    const Parsed p = parse(condition);
    EXPECT_EQ(p.rendered, "") << condition;
    EXPECT_EQ(p.dump, expected) << condition;
  }
}

TEST(ConditionParser, WhitespaceDoesNotChangeTheTree) {
  for (const auto& [condition, expected] : kGolden) {
    for (const std::string& variant : respaced(condition)) {
      const Parsed p = parse(variant);
      EXPECT_EQ(p.rendered, "") << variant;
      EXPECT_EQ(p.dump, expected) << variant;
    }
  }
}

TEST(ConditionParser, NodesAreLocatedAtTheirFirstToken) {
  // Columns: the condition starts at column 12.
  const Parsed p = parse("sel and not 1 of f* or (x)");
  ASSERT_TRUE(p.root);
  const auto& root = *p.root;  // or
  EXPECT_EQ(root.kind, sigrun::ast::ConditionNode::Kind::Or);
  EXPECT_EQ(root.location.column, 12u);
  EXPECT_EQ(root.location.line, 1u);
  const auto& conjunction = root.children[0];
  EXPECT_EQ(conjunction.location.column, 12u);
  EXPECT_EQ(conjunction.children[0].location.column, 12u);  // sel
  const auto& negation = conjunction.children[1];
  EXPECT_EQ(negation.kind, sigrun::ast::ConditionNode::Kind::Not);
  EXPECT_EQ(negation.location.column, 20u);
  EXPECT_EQ(negation.children[0].kind, sigrun::ast::ConditionNode::Kind::OneOf);
  EXPECT_EQ(negation.children[0].text, "f*");
  EXPECT_EQ(negation.children[0].location.column, 24u);
  EXPECT_EQ(root.children[1].text, "x");
  EXPECT_EQ(root.children[1].location.column, 36u);
}

TEST(ConditionParser, LinesAdvanceInsideTheCondition) {
  sigrun::diag::DiagnosticEngine diags;
  const auto root = sigrun::frontend::parse_condition("a and\n  not b or\n c", {1, 4, 14}, diags);
  ASSERT_TRUE(root);
  EXPECT_EQ(sigrun::ast::dump(*root), "((a and (not b)) or c)");
  const auto& a = root->children[0].children[0];
  EXPECT_EQ(a.location.line, 4u);
  EXPECT_EQ(a.location.column, 14u);
  const auto& negation = root->children[0].children[1];
  EXPECT_EQ(negation.location.line, 5u);
  EXPECT_EQ(negation.location.column, 3u);
  EXPECT_EQ(root->children[1].location.line, 6u);
  EXPECT_EQ(root->children[1].location.column, 2u);
}

// Each rejected condition with its exact rendering (the condition starts at column 12).
const std::vector<std::pair<std::string, std::string>> kErrors = {
    {"sel and",
     "c.yml:1:19: error: expected identifier, '(' or 'not' after 'and', found end of condition "
     "[condition-syntax]\n"
     "condition: sel and\n"
     "                  ^\n"},
    {"sel or )",
     "c.yml:1:19: error: expected identifier, '(' or 'not' after 'or', found ')' [condition-syntax]\n"
     "condition: sel or )\n"
     "                  ^\n"},
    {"not",
     "c.yml:1:15: error: expected identifier, '(' or 'not' after 'not', found end of condition "
     "[condition-syntax]\n"
     "condition: not\n"
     "              ^\n"},
    {"a and ()",
     "c.yml:1:19: error: expected identifier, '(' or 'not' after '(', found ')' [condition-syntax]\n"
     "condition: a and ()\n"
     "                  ^\n"},
    {"",
     "c.yml:1:12: error: expected identifier, '(' or 'not', found end of condition [condition-syntax]\n"
     "condition: \n"
     "           ^\n"},
    {"and sel",
     "c.yml:1:12: error: expected identifier, '(' or 'not', found 'and' [condition-syntax]\n"
     "condition: and sel\n"
     "           ^\n"},
    {"sel1 andsel2",
     "c.yml:1:17: error: expected 'and', 'or' or end of condition, found 'andsel2' [condition-syntax]\n"
     "condition: sel1 andsel2\n"
     "                ^\n"},
    {"sel1 sel2",
     "c.yml:1:17: error: expected 'and', 'or' or end of condition, found 'sel2' [condition-syntax]\n"
     "condition: sel1 sel2\n"
     "                ^\n"},
    {"(a or b",
     "c.yml:1:19: error: unbalanced parenthesis: expected ')' to close the '(' at column 12 "
     "[condition-syntax]\n"
     "condition: (a or b\n"
     "                  ^\n"},
    {"((a) and (b)",
     "c.yml:1:24: error: unbalanced parenthesis: expected ')' to close the '(' at column 12 "
     "[condition-syntax]\n"
     "condition: ((a) and (b)\n"
     "                       ^\n"},
    {"(a b)",
     "c.yml:1:15: error: expected 'and', 'or' or ')', found 'b' [condition-syntax]\n"
     "condition: (a b)\n"
     "              ^\n"},
    {"a)",
     "c.yml:1:13: error: unexpected ')' [condition-syntax]\n"
     "condition: a)\n"
     "            ^\n"},
    {"1 sel",
     "c.yml:1:14: error: expected 'of' after '1', found 'sel' [condition-syntax]\n"
     "condition: 1 sel\n"
     "             ^\n"},
    {"any",
     "c.yml:1:15: error: expected 'of' after 'any', found end of condition [condition-syntax]\n"
     "condition: any\n"
     "              ^\n"},
    {"all and b",
     "c.yml:1:16: error: expected 'of' after 'all', found 'and' [condition-syntax]\n"
     "condition: all and b\n"
     "               ^\n"},
    {"1 of",
     "c.yml:1:16: error: expected a pattern or 'them' after 'of', found end of condition [condition-syntax]\n"
     "condition: 1 of\n"
     "               ^\n"},
    {"all of (a)",
     "c.yml:1:19: error: expected a pattern or 'them' after 'of', found '(' [condition-syntax]\n"
     "condition: all of (a)\n"
     "                  ^\n"},
    {"sel*",
     "c.yml:1:15: error: unexpected '*': wildcards are only allowed in the pattern of '1 of', 'any of' or "
     "'all of' [condition-syntax]\n"
     "condition: sel*\n"
     "              ^\n"},
    {"a and *",
     "c.yml:1:18: error: unexpected '*': wildcards are only allowed in the pattern of '1 of', 'any of' or "
     "'all of' [condition-syntax]\n"
     "condition: a and *\n"
     "                 ^\n"},
    {"sel AND filter",
     "c.yml:1:16: error: expected 'and', 'or' or end of condition, found 'AND' (operators are lower-case) "
     "[condition-syntax]\n"
     "condition: sel AND filter\n"
     "               ^\n"},
    {"NOT filter",
     "c.yml:1:16: error: expected 'and', 'or' or end of condition, found 'filter' ('NOT' is read as an "
     "identifier: operators are lower-case) [condition-syntax]\n"
     "condition: NOT filter\n"
     "               ^\n"},
    {"a and $b",
     "c.yml:1:18: error: expected identifier, '(' or 'not' after 'and', found '$' [condition-syntax]\n"
     "condition: a and $b\n"
     "                 ^\n"},
    {"a and \xC3\xA9",
     "c.yml:1:18: error: expected identifier, '(' or 'not' after 'and', found '\xC3\xA9' [condition-syntax]\n"
     "condition: a and \xC3\xA9\n"
     "                 ^\n"},
    {"sel | count() > 5",
     "c.yml:1:16: error: the pipe syntax of Sigma v1 (aggregations like count() and near) is not supported "
     "in "
     "conditions; use a correlation rule [condition-pipe]\n"
     "condition: sel | count() > 5\n"
     "               ^\n"},
    {"sel and (a |",
     "c.yml:1:23: error: the pipe syntax of Sigma v1 (aggregations like count() and near) is not supported "
     "in "
     "conditions; use a correlation rule [condition-pipe]\n"
     "condition: sel and (a |\n"
     "                      ^\n"},
    {"selection_a near selection_b",
     "c.yml:1:24: error: the pipe syntax of Sigma v1 (aggregations like count() and near) is not supported "
     "in "
     "conditions; use a correlation rule [condition-pipe]\n"
     "condition: selection_a near selection_b\n"
     "                       ^\n"},
};

TEST(ConditionParser, ErrorsNameTheProblemAtItsColumn) {
  for (const auto& [condition, expected] : kErrors) {
    const Parsed p = parse(condition);
    EXPECT_FALSE(p.root) << condition;
    EXPECT_EQ(p.errors, 1u) << condition;
    EXPECT_EQ(p.rendered, expected) << condition;
  }
}

TEST(ConditionParser, NearIsOnlyAKeywordAsAWholeWord) {
  EXPECT_EQ(parse("nearby or linear or near_x").dump, "(nearby or linear or near_x)");
}

TEST(ConditionParser, UnclosedParenthesisOnAnEarlierLine) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const uint32_t file = sources.add_file("c.yml", "condition: |\n  (a and\n  b\n");
  EXPECT_FALSE(sigrun::frontend::parse_condition("(a and\nb", {file, 2, 3}, diags));
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(sigrun::diag::render(diags.all()[0], sources),
            "c.yml:3:2: error: unbalanced parenthesis: expected ')' to close the '(' at line 2, column 3 "
            "[condition-syntax]\n"
            "  b\n"
            " ^\n");
}

TEST(ConditionParser, NestingIsBounded) {
  // 10,000 parentheses: a clean error at the 257th, no stack overflow.
  Parsed p = parse(std::string(10000, '(') + "a" + std::string(10000, ')'));
  EXPECT_FALSE(p.root);
  ASSERT_EQ(p.errors, 1u);
  EXPECT_NE(
      p.rendered.find("c.yml:1:268: error: the condition nests deeper than 256 levels of parentheses and "
                      "'not' [condition-too-deep]\n"),
      std::string::npos)
      << p.rendered.substr(0, 200);

  std::string nots;
  for (int i = 0; i < 10000; ++i) {
    nots += "not ";
  }
  p = parse(nots + "a");
  EXPECT_FALSE(p.root);
  ASSERT_EQ(p.errors, 1u);
  // The 257th `not` is at offset 1024.
  EXPECT_EQ(p.rendered.substr(0, p.rendered.find('\n')),
            "c.yml:1:1036: error: the condition nests deeper than 256 levels of parentheses and 'not' "
            "[condition-too-deep]");

  std::string mixed;
  for (int i = 0; i < 200; ++i) {
    mixed += "not (";
  }
  p = parse(mixed + "a" + std::string(200, ')'));
  EXPECT_FALSE(p.root);
  EXPECT_NE(p.rendered.find("[condition-too-deep]"), std::string::npos);

  // 256 levels are accepted.
  p = parse(std::string(256, '(') + "a" + std::string(256, ')'));
  EXPECT_EQ(p.rendered, "");
  EXPECT_EQ(p.dump, "a");
  std::string deep;
  std::string closing;
  for (int i = 0; i < 128; ++i) {
    deep += "not (";
    closing += ")";
  }
  p = parse(deep + "a" + closing);
  EXPECT_EQ(p.rendered, "");
  ASSERT_TRUE(p.root);
}

}  // namespace
