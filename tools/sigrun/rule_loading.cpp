// Implements rule_loading.h.
#include "rule_loading.h"

#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

namespace sigrun::cli {

namespace fs = std::filesystem;

void add_routing_options(CLI::App* command, RoutingOptions& options) {
  command
      ->add_option("--mappings", options.mappings,
                   "Log-source mapping file or directory; repeat to add more (docs/logsources.md)")
      ->allow_extra_args(false);
  command->add_flag("--no-default-mappings", options.no_default_mappings,
                    "Do not read the shipped mappings (only those given with --mappings)");
  command
      ->add_option("--logsource", options.logsources,
                   "Declare the stream's log source, e.g. product=zeek,service=http: rules of it run on "
                   "every event; repeat for a stream of several")
      ->allow_extra_args(false);
  command
      ->add_option("--unmapped", options.unmapped,
                   "Rules whose log source has no mapping: skip (the default) or run them on every event")
      ->check(CLI::IsMember({"skip", "run"}));
  command->add_option("--filters", options.filters, "Sigma filter file or directory; repeat to add more")
      ->allow_extra_args(false);
  command->add_option("--placeholders", options.placeholders,
                      "YAML file of values for the expand modifier's %name% placeholders (name: [values])");
}

std::string default_mappings_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "sigrun" / "mappings";
    if (fs::is_directory(installed, ec)) {
      return installed.string();
    }
  }
  if (fs::is_directory(SIGRUN_SOURCE_MAPPINGS_DIR, ec)) {
    return SIGRUN_SOURCE_MAPPINGS_DIR;
  }
  return "";
}

std::optional<compiler::CompileOptions> compile_options(const RoutingOptions& options) {
  compiler::CompileOptions out;
  out.route_logsources = true;
  if (!options.no_default_mappings) {
    const std::string shipped = default_mappings_dir();
    if (shipped.empty()) {
      std::cerr << "sigrun: warning: the shipped log-source mappings were not found (looked beside the "
                   "executable and in "
                << SIGRUN_SOURCE_MAPPINGS_DIR << "); give them with --mappings\n";
    } else {
      out.mapping_paths.push_back(shipped);
    }
  }
  out.mapping_paths.insert(out.mapping_paths.end(), options.mappings.begin(), options.mappings.end());
  for (const std::string& text : options.logsources) {
    auto spec = compiler::parse_logsource_spec(text);
    if (!spec) {
      std::cerr << "sigrun: error: --logsource: " << spec.error().message << "\n";
      return std::nullopt;
    }
    out.declared_logsources.push_back(spec.value());
  }
  out.unmapped = options.unmapped == "run" ? compiler::UnmappedRules::Run : compiler::UnmappedRules::Skip;
  out.filter_paths = options.filters;
  out.placeholders_path = options.placeholders;
  return out;
}

LoadedRules load_rules(const std::vector<std::string>& paths, const compiler::CompileOptions& options,
                       const DiagnosticOutput& output) {
  LoadedRules loaded;
  auto files = compiler::collect_rule_files(paths);
  if (!files) {
    std::cerr << "sigrun: error: " << files.error().message << "\n";
    loaded.io_error = true;
    return loaded;
  }
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  loaded.compilation = compiler::compile_rules(files.value(), sources, diags, options);
  for (diag::Diagnostic d : diags.all()) {
    if (output.strict)
      d.severity = diag::Severity::Error;
    if (output.json) {
      std::cout << diag::render_json(d, sources);
    } else {
      std::cerr << diag::render(d, sources);
    }
  }
  loaded.errors = diags.error_count() + (output.strict ? diags.warning_count() : 0);
  loaded.warnings = output.strict ? 0 : diags.warning_count();
  return loaded;
}

namespace {

std::string logsource_text(const compiler::LogSourceSpec& ls) {
  std::string out;
  const std::pair<const char*, const std::string*> parts[] = {
      {"product", &ls.product}, {"category", &ls.category}, {"service", &ls.service}};
  for (const auto& [key, value] : parts) {
    if (!value->empty())
      out += (out.empty() ? "" : ",") + std::string(key) + "=" + *value;
  }
  return out.empty() ? "(none)" : out;
}

void list_rules(const char* what, const std::vector<compiler::RuleListing>& rules) {
  for (const compiler::RuleListing& rule : rules) {
    std::cerr << "sigrun:   " << what << "  " << (rule.id.empty() ? "(no id)" : rule.id) << "  " << rule.title
              << "  [" << logsource_text(rule.logsource) << "]  " << rule.source_file << "\n";
  }
}

}  // namespace

void print_routing(const compiler::Compilation& c, bool list) {
  std::cerr << "sigrun: log sources: " << c.mapping_entries << " mapping entries; " << c.rules_mapped
            << " rules mapped, " << c.rules_every_event << " on every event (declared log source), "
            << c.rules_unmapped_run << " unmapped run on every event, " << c.unmapped.size()
            << " unmapped not run, " << c.other_source.size() << " of other log sources not run\n";
  if (c.filters != 0)
    std::cerr << "sigrun: filters: " << c.filters << " read, " << c.filters_applied << " applications\n";
  if (!list)
    return;
  list_rules("unmapped", c.unmapped);
  list_rules("other log source", c.other_source);
}

}  // namespace sigrun::cli
