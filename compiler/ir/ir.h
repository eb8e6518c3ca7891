// The IR: rules as boolean DAGs over predicates. Field paths are interned (one FieldId per path) and
// predicates and nodes are hash-consed, so the same (field, operator, value, flags) is one predicate and
// the same sub-expression is one node across all rules of a module. Produced by lower_rule (AST -> IR),
// consumed by codegen (IR -> runtime program).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace sigrun::ir {

using FieldId = uint32_t;
using PredicateId = uint32_t;
using NodeId = uint32_t;

enum class PredicateOp {
  Exists,         // the field is present
  IsNull,         // the field is absent or null
  StrEq,          // whole text equals `text`
  StrPrefix,      // text starts with `text`
  StrSuffix,      // text ends with `text`
  StrContains,    // `text` occurs in the text
  StrGlob,        // whole text matches `text`, a pattern with kSigrunGlobStar/Question bytes
  NumEq,          // numerically equal to `number` (`text` is its canonical decimal text)
  BoolEq,         // equals `boolean`
  Regex,          // the regex `text` matches somewhere
  NumCompare,     // a number comparing to `number` as `comparison` says (gt, gte, lt, lte)
  TimePart,       // a timestamp whose component `time_part` compares to `number` as `comparison` says
  Cidr,           // an IP address inside the network `text` (as written in the rule; valid)
  FieldEq,        // text equals the text of field `other_field`
  FieldPrefix,    // text starts with the text of field `other_field`
  FieldSuffix,    // text ends with the text of field `other_field`
  FieldContains,  // the text of field `other_field` occurs in the text
};

const char* predicate_op_name(PredicateOp op);

enum class Comparison { Eq, Gt, Gte, Lt, Lte };
enum class TimeComponent { Minute, Hour, Day, Week, Month, Year };

const char* comparison_name(Comparison comparison);
const char* time_component_name(TimeComponent component);

enum RegexFlag : uint32_t {
  kRegexIgnoreCase = 1u << 0,
  kRegexMultiLine = 1u << 1,
  kRegexDotAll = 1u << 2,
};

struct Predicate {
  FieldId field = 0;
  PredicateOp op = PredicateOp::Exists;
  std::string text;  // literal or pattern, NOT case-folded (codegen folds unless `cased`)
  bool cased = false;
  double number = 0;
  bool number_is_integer = false;
  bool boolean = false;
  uint32_t regex_flags = 0;
  Comparison comparison = Comparison::Eq;           // NumCompare, TimePart
  TimeComponent time_part = TimeComponent::Minute;  // TimePart
  FieldId other_field = 0;                          // Field*: the referenced field

  auto key() const {
    return std::tie(field, op, text, cased, number, number_is_integer, boolean, regex_flags, comparison,
                    time_part, other_field);
  }
  bool operator<(const Predicate& other) const { return key() < other.key(); }
};

enum class NodeKind { And, Or, Not, Pred, True, False };

struct Node {
  NodeKind kind = NodeKind::True;
  uint32_t predicate = 0;        // Pred
  std::vector<NodeId> children;  // And, Or (two or more), Not (one)

  auto key() const { return std::tie(kind, predicate, children); }
  bool operator<(const Node& other) const { return key() < other.key(); }
};

// Owns the interned fields, predicates and nodes of a module. Node constructors simplify as they build:
// nested And/Or are flattened, constants folded, single-child And/Or collapsed, double Not removed. Every
// node's children have smaller ids than the node.
class Context {
 public:
  // The field standing for every scalar value of the event (keyword search). Its path is empty, which no
  // Sigma field can be.
  static constexpr const char* kAllValuesField = "";

  FieldId intern_field(const std::string& path);
  PredicateId intern_predicate(Predicate predicate);

  NodeId make_predicate_node(PredicateId predicate);
  NodeId make_and(std::vector<NodeId> children);
  NodeId make_or(std::vector<NodeId> children);
  NodeId make_not(NodeId child);
  NodeId make_constant(bool value);

  const std::vector<std::string>& fields() const { return fields_; }
  const std::vector<Predicate>& predicates() const { return predicates_; }
  const std::vector<Node>& nodes() const { return nodes_; }

 private:
  NodeId intern_node(Node node);
  NodeId make_nary(NodeKind kind, std::vector<NodeId> children);

  std::vector<std::string> fields_;
  std::map<std::string, FieldId> field_ids_;
  std::vector<Predicate> predicates_;
  std::map<Predicate, PredicateId> predicate_ids_;
  std::vector<Node> nodes_;
  std::map<Node, NodeId> node_ids_;
};

struct LogSource {
  std::string product;
  std::string category;
  std::string service;
};

// A rule after lowering: its output metadata and the root of its boolean DAG.
struct Rule {
  std::string id;
  std::string title;
  std::string level;
  std::string status;
  std::string author;
  std::string description;
  std::vector<std::string> tags;
  LogSource logsource;
  std::string message;
  std::string source_file;
  uint32_t source_line = 0;
  NodeId root = 0;
};

struct Module {
  Context context;
  std::vector<Rule> rules;
};

// Canonical text of a module: fields, predicates, nodes and rules in id order. For golden tests and
// `sigrun check --dump-ir`.
std::string dump(const Module& module);

}  // namespace sigrun::ir
