// Implements ir::dump and ir::predicate_op_name (ir.h).
#include <cstdio>

#include "ir/ir.h"

namespace sigrun::ir {

const char* predicate_op_name(PredicateOp op) {
  switch (op) {
    case PredicateOp::Exists:
      return "exists";
    case PredicateOp::IsNull:
      return "is_null";
    case PredicateOp::StrEq:
      return "str_eq";
    case PredicateOp::StrPrefix:
      return "str_prefix";
    case PredicateOp::StrSuffix:
      return "str_suffix";
    case PredicateOp::StrContains:
      return "str_contains";
    case PredicateOp::StrGlob:
      return "str_glob";
    case PredicateOp::NumEq:
      return "num_eq";
    case PredicateOp::BoolEq:
      return "bool_eq";
    case PredicateOp::Regex:
      return "regex";
    case PredicateOp::NumCompare:
      return "num_compare";
    case PredicateOp::TimePart:
      return "time_part";
    case PredicateOp::Cidr:
      return "cidr";
    case PredicateOp::FieldEq:
      return "field_eq";
    case PredicateOp::FieldPrefix:
      return "field_prefix";
    case PredicateOp::FieldSuffix:
      return "field_suffix";
    case PredicateOp::FieldContains:
      return "field_contains";
  }
  return "?";
}

const char* comparison_name(Comparison comparison) {
  switch (comparison) {
    case Comparison::Eq:
      return "eq";
    case Comparison::Gt:
      return "gt";
    case Comparison::Gte:
      return "gte";
    case Comparison::Lt:
      return "lt";
    case Comparison::Lte:
      return "lte";
  }
  return "?";
}

const char* time_component_name(TimeComponent component) {
  switch (component) {
    case TimeComponent::Minute:
      return "minute";
    case TimeComponent::Hour:
      return "hour";
    case TimeComponent::Day:
      return "day";
    case TimeComponent::Week:
      return "week";
    case TimeComponent::Month:
      return "month";
    case TimeComponent::Year:
      return "year";
  }
  return "?";
}

namespace {

void append_quoted(const std::string& text, std::string& out) {
  out += '"';
  for (unsigned char c : text) {
    if (c == 0xFF) {
      out += "<*>";
    } else if (c == 0xFE) {
      out += "<?>";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

const char* node_kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::And:
      return "and";
    case NodeKind::Or:
      return "or";
    case NodeKind::Not:
      return "not";
    case NodeKind::Pred:
      return "pred";
    case NodeKind::True:
      return "true";
    case NodeKind::False:
      return "false";
  }
  return "?";
}

}  // namespace

std::string dump(const Module& module) {
  const Context& ctx = module.context;
  std::string out;
  for (size_t i = 0; i < ctx.fields().size(); ++i)
    out += "field " + std::to_string(i) + " " + ctx.fields()[i] + "\n";
  for (size_t i = 0; i < ctx.predicates().size(); ++i) {
    const Predicate& p = ctx.predicates()[i];
    out += "pred " + std::to_string(i) + " " + predicate_op_name(p.op) + " field=" + std::to_string(p.field);
    switch (p.op) {
      case PredicateOp::Exists:
      case PredicateOp::IsNull:
        break;
      case PredicateOp::BoolEq:
        out += p.boolean ? " true" : " false";
        break;
      case PredicateOp::NumEq:
      case PredicateOp::StrEq:
      case PredicateOp::StrPrefix:
      case PredicateOp::StrSuffix:
      case PredicateOp::StrContains:
      case PredicateOp::StrGlob:
      case PredicateOp::Regex:
      case PredicateOp::Cidr:
        out += " ";
        append_quoted(p.text, out);
        break;
      case PredicateOp::NumCompare:
        out += std::string(" ") + comparison_name(p.comparison) + " " + p.text;
        break;
      case PredicateOp::TimePart:
        out += std::string(" ") + time_component_name(p.time_part) + " " + comparison_name(p.comparison) +
               " " + p.text;
        break;
      case PredicateOp::FieldEq:
      case PredicateOp::FieldPrefix:
      case PredicateOp::FieldSuffix:
      case PredicateOp::FieldContains:
        out += " other=" + std::to_string(p.other_field);
        break;
    }
    if (p.cased)
      out += " cased";
    if (p.regex_flags & kRegexIgnoreCase)
      out += " i";
    if (p.regex_flags & kRegexMultiLine)
      out += " m";
    if (p.regex_flags & kRegexDotAll)
      out += " s";
    out += "\n";
  }
  for (size_t i = 0; i < ctx.nodes().size(); ++i) {
    const Node& n = ctx.nodes()[i];
    out += "node " + std::to_string(i) + " " + node_kind_name(n.kind);
    if (n.kind == NodeKind::Pred)
      out += " " + std::to_string(n.predicate);
    for (NodeId c : n.children)
      out += " " + std::to_string(c);
    out += "\n";
  }
  for (size_t i = 0; i < module.rules.size(); ++i) {
    out += "rule " + std::to_string(i) + " root=" + std::to_string(module.rules[i].root) + " \"" +
           module.rules[i].title + "\"\n";
  }
  return out;
}

}  // namespace sigrun::ir
