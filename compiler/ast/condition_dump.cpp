// Implements ast::dump of ast/condition.h: the canonical, fully parenthesized text of a condition tree.
#include "ast/condition.h"

namespace sigrun::ast {

namespace {

void dump_into(const ConditionNode& node, std::string& out) {
  switch (node.kind) {
    case ConditionNode::Kind::Identifier:
      out += node.text;
      return;
    case ConditionNode::Kind::OneOf:
      // `any of` is written as `1 of`: the two mean the same.
      out += "(1 of " + node.text + ')';
      return;
    case ConditionNode::Kind::AllOf:
      out += "(all of " + node.text + ')';
      return;
    case ConditionNode::Kind::Not:
      out += "(not ";
      if (!node.children.empty()) {
        dump_into(node.children.front(), out);
      }
      out += ')';
      return;
    case ConditionNode::Kind::And:
    case ConditionNode::Kind::Or: {
      const char* separator = node.kind == ConditionNode::Kind::And ? " and " : " or ";
      out += '(';
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i != 0) {
          out += separator;
        }
        dump_into(node.children[i], out);
      }
      out += ')';
      return;
    }
  }
}

}  // namespace

std::string dump(const ConditionNode& node) {
  std::string out;
  dump_into(node, out);
  return out;
}

}  // namespace sigrun::ast
