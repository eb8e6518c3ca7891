// Implements detail::compile_sources (driver/compile_sources.h) and compiler::parse_logsource_spec
// (sigrun/compiler/compiler.h): filters, log-source routing and lowering of the rules the frontend read.
#include "driver/compile_sources.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "codegen/codegen.h"
#include "driver/placeholders.h"
#include "ir/lower_ast.h"
#include "logsource/mapping.h"

namespace sigrun::compiler {

Result<LogSourceSpec> parse_logsource_spec(const std::string& text) {
  LogSourceSpec spec;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string pair = text.substr(start, comma == std::string::npos ? comma : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    const size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == pair.size()) {
      return Error{
          Error::Code::InvalidArgument,
          "log source '" + text + "': expected key=value pairs separated by commas, found '" + pair + "'"};
    }
    const std::string key = pair.substr(0, equals);
    std::string* out = key == "product"    ? &spec.product
                       : key == "category" ? &spec.category
                       : key == "service"  ? &spec.service
                                           : nullptr;
    if (out == nullptr) {
      return Error{Error::Code::InvalidArgument, "log source '" + text + "': unknown key '" + key +
                                                     "'; expected product, category or service"};
    }
    if (!out->empty()) {
      return Error{Error::Code::InvalidArgument, "log source '" + text + "': '" + key + "' given twice"};
    }
    *out = pair.substr(equals + 1);
  }
  return spec;
}

namespace detail {

namespace {

// The context every rule's lowering starts from; routing adds its log source's conditions and renames.
// `options` has its placeholders resolved (resolve_placeholders) and outlives the context.
ir::RuleContext base_context(const CompileOptions& options) {
  ir::RuleContext context;
  if (!options.placeholders_path.empty() || !options.placeholders.empty())
    context.placeholders = &options.placeholders;
  return context;
}

// `given` with the placeholders file read into `placeholders` (values given in memory win).
CompileOptions resolve_placeholders(const CompileOptions& given, diag::SourceManager& sources,
                                    diag::DiagnosticEngine& diags) {
  CompileOptions options = given;
  if (!given.placeholders_path.empty()) {
    PlaceholderMap values;
    read_placeholders_file(given.placeholders_path, sources, diags, values);
    for (const auto& [name, list] : given.placeholders)
      values[name] = list;
    options.placeholders = std::move(values);
  }
  return options;
}

RuleListing listing(const ast::Rule& rule) {
  return {rule.id,
          rule.title,
          rule.source_file,
          rule.location.line,
          {rule.logsource.product, rule.logsource.category, rule.logsource.service}};
}

// Reads the mappings of `options`. Each entry's conditions are lowered once here, so a problem in them is
// reported once (with its position in the mapping file) instead of with every rule; such entries are
// dropped. Returns false when anything was reported as an error.
bool load_mappings(const CompileOptions& options, diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                   logsource::MappingSet& out) {
  const size_t errors_before = diags.error_count();
  logsource::MappingSet read;
  for (const std::string& path : options.mapping_paths) {
    auto files = collect_rule_files({path});
    if (!files) {
      const uint32_t file = sources.add_file(path, "");
      diags.error("mapping-unreadable", diag::SourceLocation{file, 0, 0},
                  "cannot read the mapping path: " + files.error().message);
      continue;
    }
    for (const std::string& file : files.value()) {
      logsource::load_mapping_file(file, sources, diags, read);
    }
  }
  for (const CompileOptions::MappingText& text : options.mapping_texts) {
    logsource::load_mapping_text(text.path, text.text, sources, diags, read);
  }
  ir::Module scratch;
  for (logsource::Entry& entry : read.entries) {
    ast::Rule probe;
    probe.title = entry.name;
    probe.location = entry.location;
    ast::SearchIdentifier conditions;
    conditions.name = "conditions";
    conditions.location = entry.location;
    conditions.selections = entry.conditions;
    probe.detection.push_back(std::move(conditions));
    ast::Condition condition;
    condition.text = "conditions";
    condition.location = entry.location;
    condition.root.text = "conditions";
    condition.root.location = entry.location;
    probe.conditions.push_back(std::move(condition));
    ir::RuleContext context = base_context(options);
    context.field_renames = entry.renames;
    if (ir::lower_rule(probe, scratch, diags, context)) {
      out.entries.push_back(std::move(entry));
    }
  }
  return diags.error_count() == errors_before;
}

// Lowers `rule` once per group of entries with the same renames, each with its group's conditions, and
// ORs the results into one ir::Rule. Without entries, once with neither conditions nor renames.
// `with_conditions` false: the entries contribute their renames only (a declared stream).
bool lower_routed(const ast::Rule& rule, const std::vector<const logsource::Entry*>& entries,
                  bool with_conditions, const CompileOptions& options, ir::Module& module,
                  diag::DiagnosticEngine& diags) {
  std::vector<ir::RuleContext> groups;
  for (const logsource::Entry* entry : entries) {
    ir::RuleContext* group = nullptr;
    for (ir::RuleContext& g : groups) {
      if (g.field_renames == entry->renames) {
        group = &g;
      }
    }
    if (group == nullptr) {
      groups.push_back(base_context(options));
      group = &groups.back();
      group->field_renames = entry->renames;
    }
    if (with_conditions) {
      group->logsource_conditions.insert(group->logsource_conditions.end(), entry->conditions.begin(),
                                         entry->conditions.end());
    }
  }
  if (groups.empty()) {
    groups.push_back(base_context(options));
  }
  const size_t first = module.rules.size();
  if (!ir::lower_rule(rule, module, diags, groups.front())) {
    return false;
  }
  // Further groups lower the same rule text with other field names: its warnings were reported already,
  // and an error can only come from a renamed field.
  for (size_t g = 1; g < groups.size(); ++g) {
    diag::DiagnosticEngine again;
    if (!ir::lower_rule(rule, module, again, groups[g])) {
      for (const diag::Diagnostic& d : again.all()) {
        if (d.severity == diag::Severity::Error) {
          diags.error(d.code, d.location, d.message);
        }
      }
      module.rules.resize(first);
      return false;
    }
  }
  if (groups.size() > 1) {
    std::vector<ir::NodeId> roots;
    for (size_t r = first; r < module.rules.size(); ++r) {
      roots.push_back(module.rules[r].root);
    }
    module.rules[first].root = module.context.make_or(std::move(roots));
    module.rules.resize(first + 1);
  }
  return true;
}

}  // namespace

Compilation compile_sources(std::vector<InputFile>& inputs, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags, const CompileOptions& given) {
  Compilation out;
  const CompileOptions options = resolve_placeholders(given, sources, diags);

  std::vector<ast::Rule*> rules;
  std::vector<size_t> rule_file;
  for (size_t f = 0; f < inputs.size(); ++f) {
    for (ast::Rule& rule : inputs[f].contents.rules) {
      rules.push_back(&rule);
      rule_file.push_back(f);
    }
  }
  for (InputFile& input : inputs) {
    for (const ast::Filter& filter : input.contents.filters) {
      ++out.filters;
      const size_t errors_before = diags.error_count();
      bool failed = false;
      out.filters_applied += apply_filter(filter, rules, diags, failed);
      input.failed = input.failed || failed || diags.error_count() != errors_before;
    }
  }

  logsource::MappingSet mappings;
  std::vector<logsource::LogSourceKey> declared;
  if (options.route_logsources) {
    load_mappings(options, sources, diags, mappings);
    out.mapping_entries = mappings.entries.size();
    for (const LogSourceSpec& spec : options.declared_logsources) {
      declared.push_back({spec.product, spec.category, spec.service});
    }
  }

  ir::Module module;
  ir::Module unused;                              // rules that are checked but not run
  std::map<std::string, const ast::Rule*> by_id;  // the first rule of each id
  for (size_t r = 0; r < rules.size(); ++r) {
    const ast::Rule& rule = *rules[r];
    const size_t errors_before = diags.error_count();
    bool ok = false;
    const ast::Rule* first = nullptr;
    if (!rule.id.empty()) {
      auto [it, inserted] = by_id.emplace(rule.id, &rule);
      first = inserted ? nullptr : it->second;
    }
    if (first != nullptr) {
      // The rule is still checked, but only the first rule of an id runs.
      auto line_of = [](const ast::Rule& x) { return x.id_location.line != 0 ? x.id_location : x.location; };
      diags.error("rule-duplicate-id", line_of(rule),
                  "rule id '" + rule.id + "' is already used by the rule at " + first->source_file + ":" +
                      std::to_string(line_of(*first).line));
      (void)ir::lower_rule(rule, unused, diags, base_context(options));
    } else if (!options.route_logsources) {
      ok = ir::lower_rule(rule, module, diags, base_context(options));
    } else {
      const logsource::Route route = logsource::route(rule.logsource, mappings, declared);
      switch (route.kind) {
        case logsource::RouteKind::EveryEvent:
          ok = lower_routed(rule, route.entries, /*with_conditions=*/false, options, module, diags);
          out.rules_every_event += ok ? 1 : 0;
          break;
        case logsource::RouteKind::Mapped:
          ok = lower_routed(rule, route.entries, /*with_conditions=*/true, options, module, diags);
          out.rules_mapped += ok ? 1 : 0;
          break;
        case logsource::RouteKind::Unmapped:
          if (options.unmapped == UnmappedRules::Run) {
            ok = ir::lower_rule(rule, module, diags, base_context(options));
            out.rules_unmapped_run += ok ? 1 : 0;
          } else {
            ok = ir::lower_rule(rule, unused, diags, base_context(options));
            if (ok) {
              out.unmapped.push_back(listing(rule));
            }
          }
          break;
        case logsource::RouteKind::OtherSource:
          ok = ir::lower_rule(rule, unused, diags, base_context(options));
          if (ok) {
            out.other_source.push_back(listing(rule));
          }
          break;
      }
    }
    out.rules_compiled += ok ? 1 : 0;
    if (diags.error_count() != errors_before) {
      inputs[rule_file[r]].failed = true;
    }
  }

  out.files = inputs.size();
  for (const InputFile& input : inputs) {
    if (input.failed) {
      ++out.files_failed;
      out.failed_files.push_back(input.path);
    }
  }
  out.program = codegen::lower_to_program(module);
  return out;
}

}  // namespace detail

}  // namespace sigrun::compiler
