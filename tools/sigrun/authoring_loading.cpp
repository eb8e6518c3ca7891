// Implements authoring_loading.h.
#include "authoring_loading.h"

#include <iostream>

namespace sigrun::cli {

AuthoringRules load_authoring_rules(const std::vector<std::string>& paths,
                                    const compiler::AuthoringOptions& options) {
  AuthoringRules loaded;
  auto files = compiler::collect_rule_files(paths);
  if (!files) {
    std::cerr << "sigrun: error: " << files.error().message << "\n";
    loaded.io_error = true;
    return loaded;
  }
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  loaded.compilation = compiler::compile_for_authoring(files.value(), sources, diags, options);
  for (const diag::Diagnostic& d : diags.all())
    std::cerr << diag::render(d, sources);
  loaded.errors = diags.error_count();
  loaded.warnings = diags.warning_count();
  return loaded;
}

std::shared_ptr<const Engine> make_authoring_engine(const program::Program& program,
                                                    const std::string& backend) {
  const compiler::Backend b = backend == "interp" ? compiler::Backend::Interpreter : compiler::Backend::Jit;
  auto engine = compiler::make_engine(program, b);
  if (!engine) {
    std::cerr << "sigrun: error: cannot build the " << backend << " engine: " << engine.error().message
              << "\n";
    return nullptr;
  }
  return std::move(engine).value();
}

}  // namespace sigrun::cli
