// Shared by `sigrun test` and `sigrun explain`: compile rule paths for authoring (explanations and test
// events; no log-source routing) and build the engine that runs them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sigrun/compiler/authoring.h"
#include "sigrun/engine.h"

namespace sigrun::cli {

struct AuthoringRules {
  compiler::AuthoringCompilation compilation;
  size_t errors = 0;
  size_t warnings = 0;
  bool io_error = false;  // a path does not exist or cannot be listed (already reported)
};

// Compiles every rule under `paths` with compiler::compile_for_authoring, printing each diagnostic to
// stderr.
AuthoringRules load_authoring_rules(const std::vector<std::string>& paths,
                                    const compiler::AuthoringOptions& options);

// The engine for `backend` ("jit" or "interp") over a copy of `program`; nullptr after printing the reason
// to stderr when it cannot be built.
std::shared_ptr<const Engine> make_authoring_engine(const program::Program& program,
                                                    const std::string& backend);

}  // namespace sigrun::cli
