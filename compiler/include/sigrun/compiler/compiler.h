// The compiler's public API: rule files in, a runtime program (and an engine to run it) out.
//
//   sigrun::diag::SourceManager sources;
//   sigrun::diag::DiagnosticEngine diags;
//   auto files = sigrun::compiler::collect_rule_files({"rules/"});
//   if (!files) return fail(files.error().message);
//   sigrun::compiler::Compilation c = sigrun::compiler::compile_rules(files.value(), sources, diags);
//   for (const auto& d : diags.all()) std::cerr << sigrun::diag::render(d, sources);
//   auto engine = sigrun::compiler::make_engine(std::move(c.program), sigrun::compiler::Backend::Jit);
//
// Not thread-safe: one compilation per thread. The program and engines produced are independent of the
// SourceManager and DiagnosticEngine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "program/program.h"
#include "sigrun/compiler/diagnostics.h"
#include "sigrun/engine.h"
#include "sigrun/result.h"

namespace sigrun::compiler {

enum class Backend {
  Interpreter,  // the reference semantics
  Jit,          // native code through LLVM ORC (when built with SIGRUN_WITH_LLVM)
};

// Whether this build has the JIT backend.
bool jit_available();

// The rule files named by `paths`: files as given, directories searched recursively for *.yml and *.yaml.
// Sorted within each directory so compilation order (and thus the program) is deterministic.
// Errors: Io when a path does not exist or a directory cannot be read.
Result<std::vector<std::string>> collect_rule_files(const std::vector<std::string>& paths);

struct Compilation {
  program::Program program;  // every rule that compiled, in file order
  size_t files = 0;          // files read
  size_t files_failed = 0;   // files with at least one error
  size_t rules_compiled = 0;
  std::vector<std::string> failed_files;
};

// Reads, checks and lowers every rule of `files`. Problems go to `diags` (every one of them: compilation
// goes on after errors); rules with errors are left out of the program.
Compilation compile_rules(const std::vector<std::string>& files, diag::SourceManager& sources,
                          diag::DiagnosticEngine& diags);

// The same for rule text held in memory (tests, tools); `path` is only used in diagnostics.
Compilation compile_rule_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                              diag::DiagnosticEngine& diags);

// An engine running `program` on `backend`. Errors: those of Engine::create, and Native when the JIT is
// unavailable or fails.
Result<std::shared_ptr<const Engine>> make_engine(program::Program program, Backend backend);

}  // namespace sigrun::compiler
