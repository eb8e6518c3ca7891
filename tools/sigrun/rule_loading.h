// Shared by the subcommands: compile rule paths and print the diagnostics.
#pragma once

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

// Compiles every rule under `paths`, printing each diagnostic to stderr as it is rendered.
LoadedRules load_rules(const std::vector<std::string>& paths);

}  // namespace sigrun::cli
