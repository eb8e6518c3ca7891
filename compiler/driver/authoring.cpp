// Implements sigrun/compiler/authoring.h: compile_for_authoring and compile_text_for_authoring.
//
// Explanations come from hash-consing: a part of a condition (a sub-condition, an identifier, one map,
// one item) lowered alone in the same ir::Context gets exactly the node it has inside its rule, so lowering
// each part as a throw-away "probe" rule names the program node that computes it. Probes are lowered after
// every rule, so the rules' own nodes are numbered as compile_rules numbers them.
#include "sigrun/compiler/authoring.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codegen/codegen.h"
#include "driver/compile_sources.h"
#include "driver/placeholders.h"
#include "driver/rule_tests.h"
#include "frontend/frontend.h"
#include "ir/lower_ast.h"

namespace sigrun::compiler {
namespace {

class ExplainBuilder {
 public:
  ExplainBuilder(const ast::Rule& rule, ir::Module& module, const ir::RuleContext& context)
      : rule_(rule), module_(module), context_(context) {}

  // nullopt when a part does not lower alone, which hash-consing rules out for a rule that lowered.
  std::optional<RuleExplanation> build() {
    RuleExplanation out;
    for (const ast::Condition& condition : rule_.conditions) {
      std::optional<ExplainNode> node = condition_node(condition.root);
      if (!node)
        return std::nullopt;
      out.condition_texts.push_back(condition.text);
      out.conditions.push_back(std::move(*node));
    }
    return out;
  }

 private:
  using Kind = ast::ConditionNode::Kind;

  std::optional<ExplainNode> condition_node(const ast::ConditionNode& node) {
    std::optional<uint32_t> id = probe(rule_.detection, node);
    if (!id)
      return std::nullopt;
    ExplainNode out;
    out.node = *id;
    out.line = node.location.line;
    out.text = node.text;
    switch (node.kind) {
      case Kind::And:
      case Kind::Or:
      case Kind::Not:
        out.kind = node.kind == Kind::And  ? ExplainNode::Kind::And
                   : node.kind == Kind::Or ? ExplainNode::Kind::Or
                                           : ExplainNode::Kind::Not;
        for (const ast::ConditionNode& child : node.children) {
          std::optional<ExplainNode> c = condition_node(child);
          if (!c)
            return std::nullopt;
          out.children.push_back(std::move(*c));
        }
        return out;
      case Kind::Identifier:
        for (const ast::SearchIdentifier& identifier : rule_.detection) {
          if (identifier.name == node.text)
            return identifier_node(identifier, out);
        }
        return std::nullopt;
      case Kind::OneOf:
      case Kind::AllOf:
        out.kind = node.kind == Kind::OneOf ? ExplainNode::Kind::OneOf : ExplainNode::Kind::AllOf;
        for (const ast::SearchIdentifier& identifier : rule_.detection) {
          if (!quantifier_names(node.text, identifier.name))
            continue;
          ast::ConditionNode leaf;
          leaf.kind = Kind::Identifier;
          leaf.text = identifier.name;
          leaf.location = identifier.location;
          std::optional<ExplainNode> c = condition_node(leaf);
          if (!c)
            return std::nullopt;
          out.children.push_back(std::move(*c));
        }
        return out;
    }
    return std::nullopt;
  }

  // An identifier and its parts: the keyword list, then each map with its items.
  std::optional<ExplainNode> identifier_node(const ast::SearchIdentifier& identifier, ExplainNode out) {
    out.kind = ExplainNode::Kind::Identifier;
    out.line = identifier.location.line;
    if (!identifier.keywords.empty()) {
      ast::SearchIdentifier part;
      part.name = identifier.name;
      part.location = identifier.location;
      part.keywords = identifier.keywords;
      std::optional<uint32_t> id = probe_identifier(std::move(part));
      if (!id)
        return std::nullopt;
      ExplainNode keywords;
      keywords.kind = ExplainNode::Kind::Keywords;
      keywords.node = *id;
      keywords.line = identifier.keywords.front().location.line;
      out.children.push_back(std::move(keywords));
    }
    for (const ast::Selection& selection : identifier.selections) {
      ast::SearchIdentifier part;
      part.name = identifier.name;
      part.location = identifier.location;
      part.selections.push_back(selection);
      std::optional<uint32_t> id = probe_identifier(std::move(part));
      if (!id)
        return std::nullopt;
      ExplainNode map;
      map.kind = ExplainNode::Kind::Selection;
      map.node = *id;
      map.line = selection.location.line;
      for (const ast::FieldItem& item : selection.items) {
        ast::SearchIdentifier one;
        one.name = identifier.name;
        one.location = identifier.location;
        ast::Selection only;
        only.location = selection.location;
        only.items.push_back(item);
        one.selections.push_back(std::move(only));
        std::optional<uint32_t> item_id = probe_identifier(std::move(one));
        if (!item_id)
          return std::nullopt;
        ExplainNode entry;
        entry.kind = ExplainNode::Kind::Item;
        entry.node = *item_id;
        entry.line = item.location.line;
        entry.text = item.field;
        for (const ast::Modifier& modifier : item.modifiers)
          entry.text += "|" + modifier.name;
        map.children.push_back(std::move(entry));
      }
      out.children.push_back(std::move(map));
    }
    return out;
  }

  std::optional<uint32_t> probe_identifier(ast::SearchIdentifier identifier) {
    ast::ConditionNode leaf;
    leaf.kind = Kind::Identifier;
    leaf.text = identifier.name;
    leaf.location = identifier.location;
    std::vector<ast::SearchIdentifier> detection;
    detection.push_back(std::move(identifier));
    return probe(detection, leaf);
  }

  // The node of `condition` over `detection`, lowered as a rule of its own and then dropped from the
  // module's rules (its nodes stay: they are the rule's own, or parts of them).
  std::optional<uint32_t> probe(const std::vector<ast::SearchIdentifier>& detection,
                                const ast::ConditionNode& condition) {
    ast::Rule rule;
    rule.source_file = rule_.source_file;
    rule.location = rule_.location;
    rule.title = rule_.title;
    rule.detection = detection;
    ast::Condition c;
    c.root = condition;
    c.location = condition.location;
    rule.conditions.push_back(std::move(c));
    diag::DiagnosticEngine scratch;  // the rule's own lowering reported everything already
    if (!ir::lower_rule(rule, module_, scratch, context_))
      return std::nullopt;
    const uint32_t root = module_.rules.back().root;
    module_.rules.pop_back();
    return root;
  }

  // Whether `1 of P` / `all of P` names identifier `name` (docs/semantics.md, Conditions): P matched
  // against the whole name with `*` for any characters; names starting with `_` only when P does; `them`
  // is every name not starting with `_`.
  static bool quantifier_names(const std::string& pattern, const std::string& name) {
    const bool underscore = !name.empty() && name[0] == '_';
    if (pattern == "them")
      return !underscore;
    if (underscore && (pattern.empty() || pattern[0] != '_'))
      return false;
    return ir::quantifier_pattern_matches(pattern, name);
  }

  const ast::Rule& rule_;
  ir::Module& module_;
  const ir::RuleContext& context_;  // the rule's, so every part lowers as it does inside the rule
};

RuleListing listing(const ast::Rule& rule) {
  return {rule.id,
          rule.title,
          rule.source_file,
          rule.location.line,
          {rule.logsource.product, rule.logsource.category, rule.logsource.service}};
}

AuthoringCompilation compile_inputs(std::vector<detail::InputFile>& inputs, diag::SourceManager& sources,
                                    diag::DiagnosticEngine& diags, const AuthoringOptions& options) {
  AuthoringCompilation out;
  Compilation& c = out.compilation;

  detail::PlaceholderMap placeholders;
  ir::RuleContext context;
  if (!options.placeholders_path.empty()) {
    detail::read_placeholders_file(options.placeholders_path, sources, diags, placeholders);
    context.placeholders = &placeholders;
  }

  std::vector<ast::Rule*> rules;
  std::vector<size_t> rule_file;
  for (size_t f = 0; f < inputs.size(); ++f) {
    for (ast::Rule& rule : inputs[f].contents.rules) {
      rules.push_back(&rule);
      rule_file.push_back(f);
    }
  }
  for (detail::InputFile& input : inputs) {
    for (const ast::Filter& filter : input.contents.filters) {
      ++c.filters;
      const size_t errors_before = diags.error_count();
      bool failed = false;
      c.filters_applied += detail::apply_filter(filter, rules, diags, failed);
      input.failed = input.failed || failed || diags.error_count() != errors_before;
    }
  }

  ir::Module module;
  ir::Module unused;  // rules whose tests are malformed: lowered for their diagnostics only
  std::vector<const ast::Rule*> lowered;
  for (size_t r = 0; r < rules.size(); ++r) {
    const ast::Rule& rule = *rules[r];
    const size_t errors_before = diags.error_count();
    AuthoringRule authoring;
    const bool tests_ok = detail::read_rule_tests(rule, diags, authoring);
    const bool ok = ir::lower_rule(rule, tests_ok ? module : unused, diags, context) && tests_ok;
    if (ok) {
      lowered.push_back(&rule);
      out.rules.push_back(std::move(authoring));
      ++c.rules_compiled;
    } else {
      out.failed.push_back(listing(rule));
    }
    if (diags.error_count() != errors_before)
      inputs[rule_file[r]].failed = true;
  }
  for (size_t r = 0; r < lowered.size(); ++r) {
    std::optional<RuleExplanation> explanation = ExplainBuilder(*lowered[r], module, context).build();
    if (explanation)
      out.rules[r].explanation = std::move(*explanation);
  }

  c.files = inputs.size();
  for (const detail::InputFile& input : inputs) {
    if (input.failed) {
      ++c.files_failed;
      c.failed_files.push_back(input.path);
    }
  }
  c.program = codegen::lower_to_program(module);
  return out;
}

}  // namespace

AuthoringCompilation compile_for_authoring(const std::vector<std::string>& files,
                                           diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                                           const AuthoringOptions& options) {
  std::vector<detail::InputFile> inputs;
  for (const std::string& file : files) {
    const size_t errors_before = diags.error_count();
    detail::InputFile input{file, frontend::read_source_file(file, sources, diags)};
    input.failed = diags.error_count() != errors_before;
    inputs.push_back(std::move(input));
  }
  return compile_inputs(inputs, sources, diags, options);
}

AuthoringCompilation compile_text_for_authoring(const std::string& path, const std::string& text,
                                                diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                                                const AuthoringOptions& options) {
  std::vector<detail::InputFile> inputs;
  const size_t errors_before = diags.error_count();
  detail::InputFile input{path, frontend::read_source_text(path, text, sources, diags)};
  input.failed = diags.error_count() != errors_before;
  inputs.push_back(std::move(input));
  return compile_inputs(inputs, sources, diags, options);
}

}  // namespace sigrun::compiler
