// `sigrun compile RULES... -o NAME.pack`: compile rules, their native code ahead of time for a named CPU,
// and write both to one pack file that `sigrun scan --pack` and the runtime library load without a
// compiler (docs/pack-format.md).
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "rule_loading.h"
#include "sigrun/compiler/pack.h"

namespace sigrun::cli {
namespace {

struct CompileOptions {
  std::vector<std::string> paths;
  std::string output;
  std::string cpu = compiler::PackOptions{}.cpu;
  std::string linker = compiler::PackOptions{}.linker;
  bool keep_going = false;
  RoutingOptions routing;
};

int run_compile(const CompileOptions& options) {
  const std::optional<compiler::CompileOptions> compile = compile_options(options.routing);
  if (!compile)
    return kExitUsage;
  const auto started = std::chrono::steady_clock::now();
  LoadedRules loaded = load_rules(options.paths, *compile);
  if (loaded.io_error)
    return kExitIoError;
  if (!loaded.compilation.unmapped.empty()) {
    std::cerr << "sigrun: " << loaded.compilation.unmapped.size()
              << " rules left out of the pack: no mapping for their log source (`sigrun check` lists them; "
                 "--unmapped run keeps them, on every event)\n";
  }
  if (loaded.errors != 0 && !options.keep_going) {
    std::cerr << "sigrun: error: " << loaded.errors << " errors in the rules; no pack written "
              << "(--keep-going packs the rules that compiled)\n";
    return kExitRuleErrors;
  }

  compiler::PackOptions pack_options;
  pack_options.cpu = options.cpu;
  pack_options.linker = options.linker;
  const program::Program& program = loaded.compilation.program;
  Result<std::string> pack = compiler::build_pack(program, pack_options);
  if (!pack) {
    std::cerr << "sigrun: error: " << pack.error().message << "\n";
    return pack.error().code == Error::Code::InvalidArgument ? kExitUsage : kExitIoError;
  }
  if (Status written = compiler::write_pack_file(options.output, pack.value()); !written) {
    std::cerr << "sigrun: error: " << written.error().message << "\n";
    return kExitIoError;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "sigrun: wrote " << options.output << ": " << program.rules.size() << " rules, "
            << pack.value().size() << " bytes, "
            << (options.cpu == "none" ? std::string("no native code") : "native code for cpu " + options.cpu)
            << ", in " << seconds << " s\n";
  return loaded.errors == 0 ? kExitOk : kExitRuleErrors;
}

}  // namespace

Command add_compile_command(CLI::App& app) {
  auto options = std::make_shared<CompileOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compile",
      "Compile rules and their native code ahead of time into a pack for `scan --pack` and embedders");
  cmd->add_option("rules", options->paths, "Rule files or directories (searched for *.yml, *.yaml)")
      ->required();
  cmd->add_option("-o,--output", options->output,
                  "The pack file to write (replaced whole, never half-written)")
      ->required();
  cmd->add_option(
      "--cpu", options->cpu,
      "CPU the native code runs on: x86-64-v2 (the default: any x86-64 server since 2009), x86-64, "
      "x86-64-v3, x86-64-v4, an LLVM cpu name (skylake, znver3), native (this machine only), or "
      "none (no native code: the rules run in the interpreter)");
  cmd->add_option("--linker", options->linker,
                  "C compiler driver that links the native code into a shared object (default cc)");
  cmd->add_flag("--keep-going", options->keep_going,
                "Pack the rules that compiled even if others have errors (exit code 1 afterwards)");
  add_routing_options(cmd, options->routing);
  return [options] { return run_compile(*options); };
}

}  // namespace sigrun::cli
