// `sigrun check RULES...`: compile rules and report every diagnostic; non-zero exit when any is an error.
#include <iostream>
#include <memory>

#include "commands.h"
#include "rule_loading.h"

namespace sigrun::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool dump_program = false;
};

int run_check(const CheckOptions& options) {
  LoadedRules loaded = load_rules(options.paths);
  if (loaded.io_error)
    return kExitIoError;
  const compiler::Compilation& c = loaded.compilation;
  if (options.dump_program)
    std::cout << program::dump(c.program);
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
  cmd->add_flag("--dump-program", options->dump_program, "Print the compiled program's canonical text");
  return [options] { return run_check(*options); };
}

}  // namespace sigrun::cli
