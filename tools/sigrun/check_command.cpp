// `sigrun check RULES...`: compile rules and report every diagnostic and every rule left out by log-source
// routing; non-zero exit when any diagnostic is an error.
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "rule_loading.h"

namespace sigrun::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool dump_program = false;
  std::string format = "text";
  bool strict = false;
  RoutingOptions routing;
};

int run_check(const CheckOptions& options) {
  const std::optional<compiler::CompileOptions> compile = compile_options(options.routing);
  if (!compile)
    return kExitUsage;
  LoadedRules loaded = load_rules(options.paths, *compile, {options.format == "json", options.strict});
  if (loaded.io_error)
    return kExitIoError;
  const compiler::Compilation& c = loaded.compilation;
  if (options.dump_program)
    std::cout << program::dump(c.program);
  print_routing(c, /*list=*/true);
  std::cerr << c.files << " files, " << c.rules_compiled << " rules compiled, " << c.files_failed
            << " files with errors; " << loaded.errors << " errors, " << loaded.warnings << " warnings\n";
  return loaded.errors == 0 ? kExitOk : kExitRuleErrors;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Compile rules and report every error and warning");
  cmd->add_option("rules", options->paths, "Rule files or directories (searched for *.yml, *.yaml)")
      ->required();
  CLI::Option* dump =
      cmd->add_flag("--dump-program", options->dump_program, "Print the compiled program's canonical text");
  cmd->add_option("--format", options->format,
                  "Diagnostics as text with a caret on stderr (the default), or json: one object per line on "
                  "stdout with code, severity, file, line, column and message")
      ->check(CLI::IsMember({"text", "json"}))
      ->excludes(dump);
  cmd->add_flag("--strict", options->strict, "Treat warnings as errors (reported as errors, exit code 1)");
  add_routing_options(cmd, options->routing);
  return [options] { return run_check(*options); };
}

}  // namespace sigrun::cli
