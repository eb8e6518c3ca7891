// Implements codegen.h: lower_to_program.
#include <cassert>
#include <map>
#include <string>
#include <tuple>

#include "codegen/codegen.h"
#include "interp/case_fold.h"
#include "interp/ip_address.h"
#include "output/output.h"

namespace sigrun::codegen {
namespace {

abi::Opcode opcode_of(ir::PredicateOp op) {
  switch (op) {
    case ir::PredicateOp::Exists:
      return abi::Opcode::Exists;
    case ir::PredicateOp::IsNull:
      return abi::Opcode::IsNull;
    case ir::PredicateOp::StrEq:
      return abi::Opcode::StrEq;
    case ir::PredicateOp::StrPrefix:
      return abi::Opcode::StrPrefix;
    case ir::PredicateOp::StrSuffix:
      return abi::Opcode::StrSuffix;
    case ir::PredicateOp::StrContains:
      return abi::Opcode::StrContains;
    case ir::PredicateOp::StrGlob:
      return abi::Opcode::StrGlob;
    case ir::PredicateOp::NumEq:
      return abi::Opcode::NumEq;
    case ir::PredicateOp::BoolEq:
      return abi::Opcode::BoolEq;
    case ir::PredicateOp::Regex:
      return abi::Opcode::Regex;
    case ir::PredicateOp::NumCompare:
      return abi::Opcode::NumCompare;
    case ir::PredicateOp::TimePart:
      return abi::Opcode::TimePart;
    case ir::PredicateOp::Cidr:
      return abi::Opcode::Cidr;
    case ir::PredicateOp::FieldEq:
      return abi::Opcode::FieldEq;
    case ir::PredicateOp::FieldPrefix:
      return abi::Opcode::FieldPrefix;
    case ir::PredicateOp::FieldSuffix:
      return abi::Opcode::FieldSuffix;
    case ir::PredicateOp::FieldContains:
      return abi::Opcode::FieldContains;
  }
  return abi::Opcode::Exists;
}

uint32_t comparison_flags(ir::Comparison comparison) {
  uint32_t value = kSigrunCompareEq;
  switch (comparison) {
    case ir::Comparison::Eq:
      value = kSigrunCompareEq;
      break;
    case ir::Comparison::Gt:
      value = kSigrunCompareGt;
      break;
    case ir::Comparison::Gte:
      value = kSigrunCompareGte;
      break;
    case ir::Comparison::Lt:
      value = kSigrunCompareLt;
      break;
    case ir::Comparison::Lte:
      value = kSigrunCompareLte;
      break;
  }
  return value << kSigrunComparisonShift;
}

uint32_t time_component_flags(ir::TimeComponent component) {
  uint32_t value = kSigrunTimeMinute;
  switch (component) {
    case ir::TimeComponent::Minute:
      value = kSigrunTimeMinute;
      break;
    case ir::TimeComponent::Hour:
      value = kSigrunTimeHour;
      break;
    case ir::TimeComponent::Day:
      value = kSigrunTimeDay;
      break;
    case ir::TimeComponent::Week:
      value = kSigrunTimeWeek;
      break;
    case ir::TimeComponent::Month:
      value = kSigrunTimeMonth;
      break;
    case ir::TimeComponent::Year:
      value = kSigrunTimeYear;
      break;
  }
  return value << kSigrunTimeComponentShift;
}

abi::BoolOp bool_op_of(ir::NodeKind kind) {
  switch (kind) {
    case ir::NodeKind::And:
      return abi::BoolOp::And;
    case ir::NodeKind::Or:
      return abi::BoolOp::Or;
    case ir::NodeKind::Not:
      return abi::BoolOp::Not;
    case ir::NodeKind::Pred:
      return abi::BoolOp::Pred;
    case ir::NodeKind::True:
      return abi::BoolOp::True;
    case ir::NodeKind::False:
      return abi::BoolOp::False;
  }
  return abi::BoolOp::False;
}

bool is_string_op(ir::PredicateOp op) {
  return op == ir::PredicateOp::StrEq || op == ir::PredicateOp::StrPrefix ||
         op == ir::PredicateOp::StrSuffix || op == ir::PredicateOp::StrContains ||
         op == ir::PredicateOp::StrGlob;
}

bool is_field_op(ir::PredicateOp op) {
  return op == ir::PredicateOp::FieldEq || op == ir::PredicateOp::FieldPrefix ||
         op == ir::PredicateOp::FieldSuffix || op == ir::PredicateOp::FieldContains;
}

// Interns operands so identical constants are stored once.
class OperandTable {
 public:
  explicit OperandTable(std::vector<program::OperandData>& out) : out_(out) {}

  uint32_t intern(program::OperandData data) {
    auto key = std::make_tuple(data.text, data.flags, data.number, data.regex_options);
    auto [it, inserted] = ids_.emplace(key, static_cast<uint32_t>(out_.size()));
    if (inserted)
      out_.push_back(std::move(data));
    return it->second;
  }

 private:
  std::vector<program::OperandData>& out_;
  std::map<std::tuple<std::string, uint32_t, double, uint32_t>, uint32_t> ids_;
};

program::OperandData operand_of(const ir::Predicate& p) {
  program::OperandData data;
  switch (p.op) {
    case ir::PredicateOp::Exists:
    case ir::PredicateOp::IsNull:
      break;
    case ir::PredicateOp::StrEq:
    case ir::PredicateOp::StrPrefix:
    case ir::PredicateOp::StrSuffix:
    case ir::PredicateOp::StrContains:
    case ir::PredicateOp::StrGlob:
      // Folding leaves the glob bytes alone: they are not valid UTF-8 and are copied unchanged.
      data.text = p.cased ? p.text : interp::fold(p.text);
      data.flags = p.cased ? uint32_t{kSigrunCased} : 0u;
      break;
    case ir::PredicateOp::NumEq:
      data.text = p.text;
      data.number = p.number;
      data.flags = p.number_is_integer ? uint32_t{kSigrunNumIsInteger} : 0u;
      break;
    case ir::PredicateOp::BoolEq:
      data.text = p.boolean ? "true" : "false";
      data.flags = p.boolean ? uint32_t{kSigrunBoolTrue} : 0u;
      break;
    case ir::PredicateOp::Regex:
      data.text = p.text;
      data.regex_options = (p.regex_flags & ir::kRegexIgnoreCase ? uint32_t{program::kRegexIgnoreCase} : 0u) |
                           (p.regex_flags & ir::kRegexMultiLine ? uint32_t{program::kRegexMultiLine} : 0u) |
                           (p.regex_flags & ir::kRegexDotAll ? uint32_t{program::kRegexDotAll} : 0u);
      break;
    case ir::PredicateOp::NumCompare:
      data.text = p.text;
      data.number = p.number;
      data.flags = comparison_flags(p.comparison);
      break;
    case ir::PredicateOp::TimePart:
      data.text = p.text;
      data.number = p.number;
      data.flags = comparison_flags(p.comparison) | time_component_flags(p.time_part);
      break;
    case ir::PredicateOp::Cidr: {
      // Lowering accepted the network with this same parser, so it cannot fail here.
      interp::IpAddress network;
      unsigned prefix = 0;
      std::string error;
      const bool parsed = interp::parse_ip_network(p.text, network, prefix, &error);
      assert(parsed && "lowering validates cidr networks");
      (void)parsed;
      data.text.assign(reinterpret_cast<const char*>(network.bytes), network.size);
      data.number = prefix;
      break;
    }
    case ir::PredicateOp::FieldEq:
    case ir::PredicateOp::FieldPrefix:
    case ir::PredicateOp::FieldSuffix:
    case ir::PredicateOp::FieldContains:
      data.flags = p.cased ? uint32_t{kSigrunCased} : 0u;
      break;
  }
  return data;
}

}  // namespace

program::Program lower_to_program(const ir::Module& module) {
  const ir::Context& ctx = module.context;
  program::Program program;

  // Slots: the IR's fields in id order, then fields only messages read.
  std::map<std::string, uint32_t> slot_of;
  auto add_slot = [&](const std::string& path) {
    auto [it, inserted] = slot_of.emplace(path, static_cast<uint32_t>(program.fields.size()));
    if (inserted)
      program.fields.push_back({path, false});
    return it->second;
  };
  for (const std::string& path : ctx.fields())
    add_slot(path);
  for (const ir::Rule& rule : module.rules) {
    for (const std::string& path : output::message_fields(rule.message))
      add_slot(path);
  }

  OperandTable operands(program.operands);
  for (const ir::Predicate& p : ctx.predicates()) {
    abi::Predicate out;
    out.op = opcode_of(p.op);
    out.slot = p.field;
    out.operand = abi::opcode_is_slot_scope(out.op) ? 0 : operands.intern(operand_of(p));
    if (is_string_op(p.op) && !p.cased)
      program.fields[p.field].needs_folding = true;
    if (is_field_op(p.op)) {
      out.other_slot = p.other_field;
      if (!p.cased) {
        program.fields[p.field].needs_folding = true;
        program.fields[p.other_field].needs_folding = true;
      }
    }
    program.predicates.push_back(out);
  }

  for (const ir::Node& n : ctx.nodes()) {
    abi::BoolNode out{bool_op_of(n.kind), 0, 0};
    switch (n.kind) {
      case ir::NodeKind::And:
      case ir::NodeKind::Or:
        out.arg = static_cast<uint32_t>(program.children.size());
        out.count = static_cast<uint32_t>(n.children.size());
        program.children.insert(program.children.end(), n.children.begin(), n.children.end());
        break;
      case ir::NodeKind::Not:
        out.arg = n.children[0];
        break;
      case ir::NodeKind::Pred:
        out.arg = n.predicate;
        break;
      case ir::NodeKind::True:
      case ir::NodeKind::False:
        break;
    }
    program.nodes.push_back(out);
  }

  for (const ir::Rule& rule : module.rules) {
    program::RuleInfo info;
    info.id = rule.id;
    info.title = rule.title;
    info.level = rule.level;
    info.status = rule.status;
    info.author = rule.author;
    info.description = rule.description;
    info.tags = rule.tags;
    info.logsource = {rule.logsource.product, rule.logsource.category, rule.logsource.service};
    info.message = rule.message;
    info.source_file = rule.source_file;
    info.source_line = rule.source_line;
    info.root = rule.root;
    program.rules.push_back(std::move(info));
  }
  return program;
}

}  // namespace sigrun::codegen
