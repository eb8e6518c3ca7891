// The runtime program: everything an engine needs to evaluate a set of rules, with no trace of YAML, the
// AST or the IR. The compiler's codegen stage produces it; the interpreter runs it; the JIT compiles it.
// Plain data: copyable, comparable through its canonical dump.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "abi/program.h"

namespace sigrun::program {

// One field the rules read, in the order of slot ids. `path` is the name as written in the rules
// (`userIdentity.arn`): extraction tries the literal key first, then the dotted path through objects.
// The empty path stands for every scalar value of the event, wherever it is (keyword search): strings,
// numbers and booleans as their text.
struct FieldSlot {
  std::string path;
  bool needs_folding = false;  // some case-insensitive predicate reads it
};

// A constant operand as stored: the prepared SigrunOperand is built from it when an engine is created.
struct OperandData {
  std::string text;            // literal (folded unless cased), glob (with kSigrunGlob* bytes), regex source,
                               // Cidr: the network's address bytes
  uint32_t flags = 0;          // SigrunOperandFlags; NumCompare/TimePart: comparison and component bits
  double number = 0;           // NumEq, NumCompare, TimePart; Cidr: the prefix length
  uint32_t regex_options = 0;  // Regex: RegexOption bits
};

enum RegexOption : uint32_t {
  kRegexIgnoreCase = 1u << 0,
  kRegexMultiLine = 1u << 1,
  kRegexDotAll = 1u << 2,
};

struct LogSource {
  std::string product;
  std::string category;
  std::string service;
};

// What outputs need to know of a rule. `author` must travel with every match (Detection Rule License).
struct RuleInfo {
  std::string id;
  std::string title;
  std::string level;
  std::string status;
  std::string author;
  std::string description;
  std::vector<std::string> tags;
  LogSource logsource;
  // Triage message with {{field.path}} or {{field.path|fallback}} placeholders; empty when the rule has
  // none. Every placeholder's field is in the field plan.
  std::string message;
  std::string source_file;
  uint32_t source_line = 0;
  uint32_t root = 0;  // BoolNode the rule evaluates
};

struct Program {
  std::vector<FieldSlot> fields;
  std::vector<OperandData> operands;
  std::vector<abi::Predicate> predicates;
  std::vector<abi::BoolNode> nodes;
  std::vector<uint32_t> children;  // child lists of And/Or nodes
  std::vector<RuleInfo> rules;
};

// The canonical text of a program: stable across runs (no pointers, no hash order), one item per line.
std::string dump(const Program& program);

// Checks every index in the program is in range and the node graph is acyclic with children before
// parents. Returns an empty string when valid, else what is wrong.
std::string verify(const Program& program);

}  // namespace sigrun::program
