// Implements ir::Context (ir.h): interning and the simplifying node constructors.
#include <algorithm>

#include "ir/ir.h"

namespace sigrun::ir {

FieldId Context::intern_field(const std::string& path) {
  auto [it, inserted] = field_ids_.emplace(path, static_cast<FieldId>(fields_.size()));
  if (inserted)
    fields_.push_back(path);
  return it->second;
}

PredicateId Context::intern_predicate(Predicate predicate) {
  auto it = predicate_ids_.find(predicate);
  if (it != predicate_ids_.end())
    return it->second;
  const auto id = static_cast<PredicateId>(predicates_.size());
  predicate_ids_.emplace(predicate, id);
  predicates_.push_back(std::move(predicate));
  return id;
}

NodeId Context::intern_node(Node node) {
  auto it = node_ids_.find(node);
  if (it != node_ids_.end())
    return it->second;
  const auto id = static_cast<NodeId>(nodes_.size());
  node_ids_.emplace(node, id);
  nodes_.push_back(std::move(node));
  return id;
}

NodeId Context::make_predicate_node(PredicateId predicate) {
  Node node;
  node.kind = NodeKind::Pred;
  node.predicate = predicate;
  return intern_node(std::move(node));
}

NodeId Context::make_constant(bool value) {
  Node node;
  node.kind = value ? NodeKind::True : NodeKind::False;
  return intern_node(std::move(node));
}

NodeId Context::make_not(NodeId child) {
  const Node& c = nodes_[child];
  if (c.kind == NodeKind::Not)
    return c.children[0];
  if (c.kind == NodeKind::True)
    return make_constant(false);
  if (c.kind == NodeKind::False)
    return make_constant(true);
  Node node;
  node.kind = NodeKind::Not;
  node.children = {child};
  return intern_node(std::move(node));
}

// And/Or: flatten children of the same kind, drop the neutral constant, short-circuit on the absorbing
// one, drop repeated children (keeping the first, so evaluation order stays as written).
NodeId Context::make_nary(NodeKind kind, std::vector<NodeId> children) {
  const NodeKind neutral = kind == NodeKind::And ? NodeKind::True : NodeKind::False;
  const NodeKind absorbing = kind == NodeKind::And ? NodeKind::False : NodeKind::True;
  std::vector<NodeId> flat;
  for (NodeId child : children) {
    const Node& c = nodes_[child];
    if (c.kind == neutral)
      continue;
    if (c.kind == absorbing)
      return make_constant(kind == NodeKind::Or);
    if (c.kind == kind) {
      for (NodeId grandchild : c.children) {
        if (std::find(flat.begin(), flat.end(), grandchild) == flat.end())
          flat.push_back(grandchild);
      }
      continue;
    }
    if (std::find(flat.begin(), flat.end(), child) == flat.end())
      flat.push_back(child);
  }
  if (flat.empty())
    return make_constant(kind == NodeKind::And);
  if (flat.size() == 1)
    return flat[0];
  Node node;
  node.kind = kind;
  node.children = std::move(flat);
  return intern_node(std::move(node));
}

NodeId Context::make_and(std::vector<NodeId> children) {
  return make_nary(NodeKind::And, std::move(children));
}
NodeId Context::make_or(std::vector<NodeId> children) {
  return make_nary(NodeKind::Or, std::move(children));
}

}  // namespace sigrun::ir
