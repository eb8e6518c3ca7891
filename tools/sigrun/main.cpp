// The sigrun command line: `sigrun check`, `sigrun scan`, `sigrun test`, `sigrun explain`, `sigrun
// compile`. Parses arguments with CLI11 and dispatches.
#include <cstdio>
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"sigrun: compile Sigma detection rules to native code and run them over JSON events"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sigrun 0.1.0");
  app.footer(
      "Exit codes: 0 success; 1 rule errors or failed rule tests; 2 bad command line; 3 input unreadable or "
      "output unwritable; 4 a backend disagrees with the reference interpreter.\n"
      "Run 'sigrun COMMAND --help' for the options of a command.");
  sigrun::cli::Command check = sigrun::cli::add_check_command(app);
  sigrun::cli::Command scan = sigrun::cli::add_scan_command(app);
  sigrun::cli::Command test = sigrun::cli::add_test_command(app);
  sigrun::cli::Command explain = sigrun::cli::add_explain_command(app);
  sigrun::cli::Command compile = sigrun::cli::add_compile_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : sigrun::cli::kExitUsage;
  }
  if (app.got_subcommand("check"))
    return check();
  if (app.got_subcommand("test"))
    return test();
  if (app.got_subcommand("explain"))
    return explain();
  if (app.got_subcommand("compile"))
    return compile();
  return scan();
}
