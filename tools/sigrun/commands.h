// The subcommands of the sigrun CLI. Each registers its options on the app and returns the function that
// runs it; the function's return value is the process exit code (see docs/cli.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace sigrun::cli {

// Exit codes, stable for scripts.
enum ExitCode : int {
  kExitOk = 0,          // success
  kExitRuleErrors = 1,  // rules have errors (check), scan refused to run because of them, a rule test failed
  kExitUsage = 2,       // bad command line
  kExitIoError = 3,     // an input could not be read or the output could not be written
  kExitInternalError = 4,  // explain: a backend disagrees with the reference interpreter (a sigrun bug)
};

using Command = std::function<int()>;

Command add_check_command(CLI::App& app);
Command add_scan_command(CLI::App& app);
Command add_test_command(CLI::App& app);
Command add_explain_command(CLI::App& app);
Command add_compile_command(CLI::App& app);

}  // namespace sigrun::cli
