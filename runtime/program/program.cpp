// Implements program.h (dump, verify) and the opcode table queries of abi/program.h.
#include "program/program.h"

#include <cstdio>
#include <string>

namespace sigrun::abi {

const char* opcode_name(Opcode op) {
  switch (op) {
#define SIGRUN_OPCODE_NAME(name, helper, scope, doc) \
  case Opcode::name:                                 \
    return #name;
    SIGRUN_OPCODES(SIGRUN_OPCODE_NAME)
#undef SIGRUN_OPCODE_NAME
  }
  return "?";
}

const char* opcode_helper_name(Opcode op) {
  switch (op) {
#define SIGRUN_OPCODE_HELPER(name, helper, scope, doc) \
  case Opcode::name:                                   \
    return opcode_is_slot_scope(op) ? nullptr : #helper;
    SIGRUN_OPCODES(SIGRUN_OPCODE_HELPER)
#undef SIGRUN_OPCODE_HELPER
  }
  return nullptr;
}

OpcodeScope opcode_scope(Opcode op) {
  switch (op) {
#define SIGRUN_OPCODE_SCOPE(name, helper, scope, doc) \
  case Opcode::name:                                  \
    return OpcodeScope::scope;
    SIGRUN_OPCODES(SIGRUN_OPCODE_SCOPE)
#undef SIGRUN_OPCODE_SCOPE
  }
  return OpcodeScope::Slot;
}

}  // namespace sigrun::abi

namespace sigrun::program {
namespace {

const char* bool_op_name(abi::BoolOp op) {
  switch (op) {
    case abi::BoolOp::And:
      return "and";
    case abi::BoolOp::Or:
      return "or";
    case abi::BoolOp::Not:
      return "not";
    case abi::BoolOp::Pred:
      return "pred";
    case abi::BoolOp::True:
      return "true";
    case abi::BoolOp::False:
      return "false";
  }
  return "?";
}

// Length of the valid UTF-8 sequence at text[at], or 0 when the bytes there are not one.
size_t utf8_sequence(const std::string& text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const size_t n = lead < 0x80             ? 1
                   : (lead & 0xE0) == 0xC0 ? 2
                   : (lead & 0xF0) == 0xE0 ? 3
                   : (lead & 0xF8) == 0xF0 ? 4
                                           : 0;
  if (n == 0 || (n == 2 && lead < 0xC2) || at + n > text.size())
    return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[at + k]) & 0xC0) != 0x80)
      return 0;
  }
  return n;
}

// Operand texts may hold glob bytes, control characters and binary data (UTF-16 literals, CIDR
// addresses): print them escaped so dumps stay one line of valid UTF-8.
void append_escaped(const std::string& text, std::string& out) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = utf8_sequence(text, i);
    if (c == kSigrunGlobStar) {
      out += "<*>";
    } else if (c == kSigrunGlobQuestion) {
      out += "<?>";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F || n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.append(text, i, n);
      i += n;
      continue;
    }
    ++i;
  }
}

}  // namespace

std::string dump(const Program& program) {
  std::string out;
  for (size_t i = 0; i < program.fields.size(); ++i) {
    out += "field " + std::to_string(i) + " " + program.fields[i].path;
    out += program.fields[i].needs_folding ? " fold\n" : "\n";
  }
  for (size_t i = 0; i < program.operands.size(); ++i) {
    const OperandData& o = program.operands[i];
    out += "operand " + std::to_string(i) + " \"";
    append_escaped(o.text, out);
    out += "\" flags=" + std::to_string(o.flags);
    if (o.regex_options != 0)
      out += " regex=" + std::to_string(o.regex_options);
    out += "\n";
  }
  for (size_t i = 0; i < program.predicates.size(); ++i) {
    const abi::Predicate& p = program.predicates[i];
    out += "pred " + std::to_string(i) + " " + abi::opcode_name(p.op) + " slot=" + std::to_string(p.slot);
    if (abi::opcode_scope(p.op) == abi::OpcodeScope::Pair)
      out += " other=" + std::to_string(p.other_slot);
    if (!abi::opcode_is_slot_scope(p.op))
      out += " operand=" + std::to_string(p.operand);
    out += "\n";
  }
  for (size_t i = 0; i < program.nodes.size(); ++i) {
    const abi::BoolNode& n = program.nodes[i];
    out += "node " + std::to_string(i) + " " + bool_op_name(n.op);
    switch (n.op) {
      case abi::BoolOp::And:
      case abi::BoolOp::Or:
        for (uint32_t k = 0; k < n.count; ++k)
          out += " " + std::to_string(program.children[n.arg + k]);
        break;
      case abi::BoolOp::Not:
      case abi::BoolOp::Pred:
        out += " " + std::to_string(n.arg);
        break;
      case abi::BoolOp::True:
      case abi::BoolOp::False:
        break;
    }
    out += "\n";
  }
  for (size_t i = 0; i < program.rules.size(); ++i) {
    out += "rule " + std::to_string(i) + " root=" + std::to_string(program.rules[i].root) + " " +
           program.rules[i].id + " \"" + program.rules[i].title + "\"\n";
  }
  return out;
}

std::string verify(const Program& program) {
  const size_t fields = program.fields.size();
  for (size_t i = 0; i < program.predicates.size(); ++i) {
    const abi::Predicate& p = program.predicates[i];
    if (static_cast<int>(p.op) >= abi::kOpcodeCount)
      return "predicate " + std::to_string(i) + ": bad opcode";
    if (p.slot >= fields)
      return "predicate " + std::to_string(i) + ": slot out of range";
    if (abi::opcode_scope(p.op) == abi::OpcodeScope::Pair && p.other_slot >= fields)
      return "predicate " + std::to_string(i) + ": other slot out of range";
    if (!abi::opcode_is_slot_scope(p.op) && p.operand >= program.operands.size()) {
      return "predicate " + std::to_string(i) + ": operand out of range";
    }
  }
  // Children must precede their parents: this keeps the graph acyclic and lets backends emit nodes in order.
  for (size_t i = 0; i < program.nodes.size(); ++i) {
    const abi::BoolNode& n = program.nodes[i];
    const std::string where = "node " + std::to_string(i) + ": ";
    switch (n.op) {
      case abi::BoolOp::And:
      case abi::BoolOp::Or:
        if (uint64_t{n.arg} + n.count > program.children.size())
          return where + "children out of range";
        for (uint32_t k = 0; k < n.count; ++k) {
          if (program.children[n.arg + k] >= i)
            return where + "child does not precede its parent";
        }
        break;
      case abi::BoolOp::Not:
        if (n.arg >= i)
          return where + "operand does not precede its parent";
        break;
      case abi::BoolOp::Pred:
        if (n.arg >= program.predicates.size())
          return where + "predicate out of range";
        break;
      case abi::BoolOp::True:
      case abi::BoolOp::False:
        break;
      default:
        return where + "bad boolean operator";
    }
  }
  for (size_t i = 0; i < program.rules.size(); ++i) {
    if (program.rules[i].root >= program.nodes.size())
      return "rule " + std::to_string(i) + ": root out of range";
  }
  return {};
}

}  // namespace sigrun::program
