// Shared by the subcommands: compile rule paths with the log-source and filter options, and print the
// diagnostics and the routing summary.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sigrun/compiler/compiler.h"

namespace sigrun::cli {

struct LoadedRules {
  compiler::Compilation compilation;
  size_t errors = 0;
  size_t warnings = 0;
  bool io_error = false;
};

// The options `check` and `scan` share: mappings, declared log sources, unmapped rules, filters.
struct RoutingOptions {
  std::vector<std::string> mappings;
  bool no_default_mappings = false;
  std::vector<std::string> logsources;
  std::string unmapped = "skip";
  std::vector<std::string> filters;
  std::string placeholders;  // --placeholders FILE: values of %name% for `expand`
};

void add_routing_options(CLI::App* command, RoutingOptions& options);

// The shipped mappings directory: ../share/sigrun/mappings beside the executable, else the source tree's
// mappings/ (a build-tree binary); empty when neither exists.
std::string default_mappings_dir();

// The compile options `options` ask for; nullopt after printing the reason when one is malformed.
std::optional<compiler::CompileOptions> compile_options(const RoutingOptions& options);

// How load_rules prints diagnostics.
struct DiagnosticOutput {
  bool json = false;    // one JSON object per line on stdout (diag::render_json), else text on stderr
  bool strict = false;  // warnings are printed and counted as errors
};

// Compiles every rule under `paths`, printing each diagnostic as it is rendered.
LoadedRules load_rules(const std::vector<std::string>& paths, const compiler::CompileOptions& options,
                       const DiagnosticOutput& output = {});

// Prints to stderr how the rules were routed; with `list`, also every rule that was left out (id, title,
// log source).
void print_routing(const compiler::Compilation& compilation, bool list);

}  // namespace sigrun::cli
