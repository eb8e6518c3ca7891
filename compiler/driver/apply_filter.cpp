// Implements detail::apply_filter (driver/compile_sources.h): Sigma filter documents applied to rule ASTs
// the way pySigma applies them, before lowering, so filters add nothing to the IR (they share its quantifier
// pattern matching).
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "driver/compile_sources.h"
#include "ir/lower_ast.h"

namespace sigrun::compiler::detail {

namespace {

// Every attribute the filter's log source sets is equal in the rule's (pySigma's containment).
bool filter_covers(const ast::LogSource& filter, const ast::LogSource& rule) {
  const auto covers = [](const std::string& f, const std::string& r) { return f.empty() || f == r; };
  return covers(filter.product, rule.product) && covers(filter.category, rule.category) &&
         covers(filter.service, rule.service);
}

std::string describe_logsource(const ast::LogSource& ls) {
  std::string out;
  const std::pair<const char*, const std::string*> parts[] = {
      {"product", &ls.product}, {"category", &ls.category}, {"service", &ls.service}};
  for (const auto& [name, value] : parts) {
    if (value->empty()) {
      continue;
    }
    out += out.empty() ? "" : ", ";
    out += std::string(name) + ": " + *value;
  }
  return out.empty() ? "none" : out;
}

// The filter's condition rewritten for a rule: identifiers get `prefix`, and quantifiers are expanded
// here against the filter's own identifiers (with the `_` rule of Sigma), so they never see the rule's.
class ConditionRewriter {
 public:
  ConditionRewriter(const ast::Filter& filter, std::string prefix, diag::DiagnosticEngine& diags)
      : filter_(filter), prefix_(std::move(prefix)), diags_(diags) {}

  bool rewrite(ast::ConditionNode& node) {
    using Kind = ast::ConditionNode::Kind;
    switch (node.kind) {
      case Kind::And:
      case Kind::Or:
      case Kind::Not: {
        bool ok = true;
        for (ast::ConditionNode& child : node.children) {
          ok = rewrite(child) && ok;
        }
        return ok;
      }
      case Kind::Identifier:
        if (!defines(node.text)) {
          diags_.error("condition-undefined-identifier", node.location,
                       "undefined search identifier '" + node.text + "' in the filter's condition");
          return false;
        }
        node.text = prefix_ + node.text;
        return true;
      case Kind::OneOf:
      case Kind::AllOf:
        return expand(node);
    }
    return false;
  }

 private:
  bool defines(const std::string& name) const {
    for (const ast::SearchIdentifier& identifier : filter_.detection) {
      if (identifier.name == name) {
        return true;
      }
    }
    return false;
  }

  bool expand(ast::ConditionNode& node) {
    const bool them = node.text == "them";
    const bool include_underscore = !them && !node.text.empty() && node.text[0] == '_';
    std::vector<ast::ConditionNode> matched;
    for (const ast::SearchIdentifier& identifier : filter_.detection) {
      if (!include_underscore && !identifier.name.empty() && identifier.name[0] == '_') {
        continue;
      }
      if (!them && !ir::quantifier_pattern_matches(node.text, identifier.name)) {
        continue;
      }
      ast::ConditionNode leaf;
      leaf.kind = ast::ConditionNode::Kind::Identifier;
      leaf.text = prefix_ + identifier.name;
      leaf.location = node.location;
      matched.push_back(std::move(leaf));
    }
    if (matched.empty()) {
      diags_.error("condition-pattern-unmatched", node.location,
                   them ? std::string("'them' refers to no search identifier of the filter")
                        : "pattern '" + node.text + "' matches no search identifier of the filter");
      return false;
    }
    if (matched.size() == 1) {
      node = std::move(matched.front());
      return true;
    }
    node.kind = node.kind == ast::ConditionNode::Kind::AllOf ? ast::ConditionNode::Kind::And
                                                             : ast::ConditionNode::Kind::Or;
    node.text.clear();
    node.children = std::move(matched);
    return true;
  }

  const ast::Filter& filter_;
  std::string prefix_;
  diag::DiagnosticEngine& diags_;
};

// A prefix no identifier of the rule starts with, so the filter's identifiers cannot collide with the
// rule's (and, starting with `_`, are not seen by the rule's `them` and patterns).
std::string private_prefix(const ast::Rule& rule) {
  for (size_t n = 0;; ++n) {
    const std::string prefix = "_filter" + std::to_string(n) + "_";
    bool used = false;
    for (const ast::SearchIdentifier& identifier : rule.detection) {
      used = used || identifier.name.compare(0, prefix.size(), prefix) == 0;
    }
    if (!used) {
      return prefix;
    }
  }
}

// The filter's condition has been checked: rewriting it cannot fail here.
void apply_to_rule(const ast::Filter& filter, ast::Rule& rule, diag::DiagnosticEngine& diags) {
  const std::string prefix = private_prefix(rule);
  ConditionRewriter rewriter(filter, prefix, diags);
  std::vector<ast::ConditionNode> roots;
  std::string text;
  for (const ast::Condition& condition : filter.conditions) {
    ast::ConditionNode root = condition.root;
    rewriter.rewrite(root);
    roots.push_back(std::move(root));
    text += text.empty() ? condition.text : " or " + condition.text;
  }
  if (roots.empty()) {
    return;
  }
  ast::ConditionNode filter_root;
  if (roots.size() == 1) {
    filter_root = std::move(roots.front());
  } else {
    filter_root.kind = ast::ConditionNode::Kind::Or;
    filter_root.location = roots.front().location;
    filter_root.children = std::move(roots);
  }
  for (ast::SearchIdentifier identifier : filter.detection) {
    identifier.name = prefix + identifier.name;
    rule.detection.push_back(std::move(identifier));
  }
  for (ast::Condition& condition : rule.conditions) {
    ast::ConditionNode both;
    both.kind = ast::ConditionNode::Kind::And;
    both.location = condition.root.location;
    both.children.push_back(std::move(condition.root));
    both.children.push_back(filter_root);
    condition.root = std::move(both);
    condition.text = "(" + condition.text + ") and (" + text + ")";
  }
}

}  // namespace

size_t apply_filter(const ast::Filter& filter, std::vector<ast::Rule*>& rules, diag::DiagnosticEngine& diags,
                    bool& failed) {
  // The filter's condition is checked once, whatever it applies to.
  ConditionRewriter check(filter, "", diags);
  bool valid = true;
  for (const ast::Condition& condition : filter.conditions) {
    ast::ConditionNode copy = condition.root;
    valid = check.rewrite(copy) && valid;
  }
  if (!valid) {
    failed = true;
    return 0;
  }
  std::vector<ast::Rule*> targets;
  std::set<const ast::Rule*> chosen;
  const auto choose = [&](ast::Rule* rule, const ast::FilterTarget* target) {
    if (!chosen.insert(rule).second) {
      return;
    }
    if (!filter_covers(filter.logsource, rule->logsource)) {
      if (target != nullptr) {
        diags.warning("filter-logsource-mismatch", target->location,
                      "filter '" + filter.title + "' (log source " + describe_logsource(filter.logsource) +
                          ") is not applied to rule '" + rule->title + "' (log source " +
                          describe_logsource(rule->logsource) + ")");
      }
      return;
    }
    targets.push_back(rule);
  };
  if (filter.all_rules) {
    for (ast::Rule* rule : rules) {
      choose(rule, nullptr);
    }
  }
  for (const ast::FilterTarget& target : filter.rules) {
    // pySigma resolves a reference as an id first, then as a name.
    std::vector<ast::Rule*> by_id;
    std::vector<ast::Rule*> by_name;
    for (ast::Rule* rule : rules) {
      if (!rule->id.empty() && rule->id == target.reference) {
        by_id.push_back(rule);
      } else if (!rule->name.empty() && rule->name == target.reference) {
        by_name.push_back(rule);
      }
    }
    const std::vector<ast::Rule*>& found = by_id.empty() ? by_name : by_id;
    if (found.empty()) {
      diags.warning("filter-unknown-rule", target.location,
                    "filter '" + filter.title + "' names rule '" + target.reference +
                        "', which is not among the rules compiled");
    }
    for (ast::Rule* rule : found) {
      choose(rule, &target);
    }
  }
  for (ast::Rule* rule : targets) {
    apply_to_rule(filter, *rule, diags);
  }
  return targets.size();
}

}  // namespace sigrun::compiler::detail
